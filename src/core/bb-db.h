/* bb-db.h — the book: one SQLite file per business
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BB_DB_ERROR (bb_db_error_quark ())

typedef enum
{
  BB_DB_ERROR_OPEN,           /* the file cannot be opened or created */
  BB_DB_ERROR_NOT_A_BOOK,     /* not an SQLite database, or not Billbook's */
  BB_DB_ERROR_TOO_NEW,        /* written by a newer Billbook; left untouched */
  BB_DB_ERROR_CORRUPT,        /* integrity_check failed */
  BB_DB_ERROR_BUSY,           /* another program holds the book */
  BB_DB_ERROR_CONSTRAINT,     /* a rule of the data was broken */
  BB_DB_ERROR_NOT_FOUND,      /* the record does not exist */
  BB_DB_ERROR_INVALID,        /* bad input, message names the field */
  BB_DB_ERROR_FAILED,         /* anything else SQLite reports */
} BbDbError;

/* The latest schema version this build writes (PRAGMA user_version). */
#define BB_DB_SCHEMA_VERSION 9

#define BB_TYPE_DB (bb_db_get_type ())
G_DECLARE_FINAL_TYPE (BbDb, bb_db, BB, DB, GObject)

GQuark       bb_db_error_quark         (void);

void         bb_db_tune_malloc         (void);
char        *bb_db_get_default_path    (void);
BbDb        *bb_db_open                (const char  *path,
                                        GError     **error);
const char  *bb_db_get_path            (BbDb        *self);
gboolean     bb_db_needs_update        (const char  *path);
int          bb_db_get_schema_version  (BbDb        *self);

gboolean     bb_db_check               (BbDb        *self,
                                        GPtrArray  **problems,
                                        GError     **error);
gboolean     bb_db_check_quick         (BbDb        *self,
                                        GPtrArray  **problems,
                                        GError     **error);

char        *bb_db_get_setting         (BbDb        *self,
                                        const char  *key);
gboolean     bb_db_set_setting         (BbDb        *self,
                                        const char  *key,
                                        const char  *value,
                                        GError     **error);

gboolean     bb_db_begin               (BbDb        *self,
                                        GError     **error);
gboolean     bb_db_commit              (BbDb        *self,
                                        GError     **error);
void         bb_db_rollback            (BbDb        *self);

typedef gboolean (*BbDbTransactionFunc) (BbDb     *db,
                                         gpointer  user_data,
                                         GError  **error);

gboolean     bb_db_transaction         (BbDb                *self,
                                        BbDbTransactionFunc  func,
                                        gpointer             user_data,
                                        GError             **error);

void         bb_db_emit_changed        (BbDb        *self,
                                        const char  *table,
                                        gint64       id);

G_END_DECLS
