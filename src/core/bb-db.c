/* bb-db.c — the book: one SQLite file per business
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fcntl.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "bb-db-private.h"

/* "BBK1" — marks a file as a Billbook book (PRAGMA application_id). */
#define BB_DB_APPLICATION_ID 0x42424B31

#define BUSY_TIMEOUT_MS 5000

struct _BbDb
{
  GObject     parent_instance;

  sqlite3    *handle;
  char       *path;
  GHashTable *statements;      /* SQL text → sqlite3_stmt */
  guint       depth;           /* transaction nesting */
  GArray     *pending;         /* changes to announce after COMMIT */
};

typedef struct
{
  const char *table;           /* interned */
  gint64      id;
} PendingChange;

G_DEFINE_TYPE (BbDb, bb_db, G_TYPE_OBJECT)
G_DEFINE_QUARK (bb-db-error-quark, bb_db_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
bb_db_finalize (GObject *object)
{
  BbDb *self = (BbDb *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  if (self->handle)
    sqlite3_close_v2 (self->handle);
  g_free (self->path);

  G_OBJECT_CLASS (bb_db_parent_class)->finalize (object);
}

static void
bb_db_class_init (BbDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bb_db_finalize;

  /**
   * BbDb::changed:
   * @table: the table whose rows changed ("customers", "invoices", …)
   * @id: the row, or 0 when many rows changed
   *
   * Emitted after a change to the book has been committed, so that list
   * models can update the rows they show.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);
}

static void
bb_db_init (BbDb *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal,
                                            g_free, finalize_statement);
  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingChange));
}

/**
 * bb_db_get_default_path:
 *
 * Returns: `$XDG_DATA_HOME/billbook/billbook.db`
 */
char *
bb_db_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "billbook", "billbook.db", NULL);
}

void
_bb_db_set_error (BbDb    *self,
                  int      rc,
                  GError **error)
{
  const char *message = self && self->handle ? sqlite3_errmsg (self->handle)
                                             : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_BUSY,
                   _("The book is in use by another program. Try again in a moment."));
      break;

    case SQLITE_NOTADB:
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_A_BOOK,
                   _("“%s” is not a Billbook book: it is not an SQLite database."),
                   self && self->path ? self->path : "?");
      break;

    case SQLITE_CORRUPT:
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_CORRUPT,
                   _("The book “%s” is damaged: %s"),
                   self && self->path ? self->path : "?", message);
      break;

    case SQLITE_CONSTRAINT:
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT,
                   _("The change breaks a rule of the book: %s"), message);
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_OPEN,
                   _("Cannot write the book “%s”: %s"),
                   self && self->path ? self->path : "?", message);
      break;

    default:
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_FAILED,
                   _("The book could not be read or written: %s"), message);
      break;
    }
}

sqlite3 *
_bb_db_get_handle (BbDb *self)
{
  g_return_val_if_fail (BB_IS_DB (self), NULL);

  return self->handle;
}

/*
 * _bb_db_prepare:
 *
 * Returns a cached prepared statement for @sql, reset and with its
 * bindings cleared. The statement belongs to @self; do not finalize it.
 */
sqlite3_stmt *
_bb_db_prepare (BbDb        *self,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (self), NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _bb_db_set_error (self, rc, error);
      g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->handle));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

/* Steps once; returns SQLITE_ROW, SQLITE_DONE or -1 with @error set. */
int
_bb_db_step (BbDb          *self,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  _bb_db_set_error (self, rc, error);
  sqlite3_reset (stmt);
  return -1;
}

gboolean
_bb_db_step_done (BbDb          *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  int rc = _bb_db_step (self, stmt, error);

  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_FAILED,
                   "Statement returned rows where none were expected");
      return FALSE;
    }

  return rc == SQLITE_DONE;
}

gboolean
_bb_db_exec (BbDb        *self,
             const char  *sql,
             GError     **error)
{
  char *errmsg = NULL;
  int rc;

  rc = sqlite3_exec (self->handle, sql, NULL, NULL, &errmsg);
  sqlite3_free (errmsg);

  if (rc != SQLITE_OK)
    {
      _bb_db_set_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

/*
 * _bb_db_set_cache_size:
 * @cache_size: as PRAGMA cache_size takes it: pages, or KiB if negative
 *
 * Gives the connection's page cache a new size, for work that reads or
 * writes more of the book than SQLite's default 2 MiB holds; shrinking it
 * again frees the pages above the new size.
 *
 * Returns: the size it had, to give back afterwards
 */
gint64
_bb_db_set_cache_size (BbDb   *self,
                       gint64  cache_size)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, cache_size); /* sql-ok: a number */
  sqlite3_stmt *stmt = _bb_db_prepare (self, "PRAGMA cache_size", NULL);
  gint64 old = -2000;        /* SQLite's default: 2000 KiB */

  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        old = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  _bb_db_exec (self, sql, NULL);

  return old;
}

char *
_bb_db_now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * bb_db_tune_malloc:
 *
 * What a program of Billbook does first, before it starts threads, for
 * glibc's malloc under SQLite (built without its own lookaside here, so
 * each small object of a query is a malloc):
 *
 * - no fastbins: a GROUP BY over a year of a million bills frees some
 *   100,000 small records, and glibc merged them at the next larger
 *   allocation, wherever that came (15 ms in the next report; a kept
 *   statement run again took 250 ms where a fresh one took 155). The
 *   per-thread caches still serve small allocations;
 * - two arenas: the threads (reminders, reports, imports, the start
 *   check) each had one that kept what it had freed: the window on a
 *   million bills peaked 5–10 MB higher;
 * - what is freed is kept for the next use, up to 16 MiB at the top of
 *   the heap, and blocks up to 4 MiB come from the heap rather than a
 *   mapping of their own: glibc gave the memory of one computation of
 *   the reminders back to the system and the next touched it afresh, a
 *   page fault for every 4 KiB (computing the reminders of a million
 *   bills again took 32 ms rather than 18). It changes what the process
 *   keeps after a peak, not the peak (measured: the window's peak on a
 *   million bills was the same within its run-to-run spread).
 *
 * All measured in tests/bench/RESULTS.md. Elsewhere than glibc, nothing.
 */
void
bb_db_tune_malloc (void)
{
#ifdef __GLIBC__
  mallopt (M_MXFAST, 0);
  mallopt (M_ARENA_MAX, 2);
  mallopt (M_TRIM_THRESHOLD, 16 * 1024 * 1024);
  mallopt (M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
}

/* Runs a single-value query such as "PRAGMA user_version". */
static gboolean
query_int (BbDb        *self,
           const char  *sql,
           gint64      *out,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          *out = 0;
          rc = SQLITE_OK;
        }
    }

  if (rc != SQLITE_OK)
    _bb_db_set_error (self, rc, error);

  sqlite3_finalize (stmt);

  return rc == SQLITE_OK;
}

/* Creates the book's folder (0700) and an empty file with mode 0600, so the
 * database and its -wal/-shm companions (SQLite gives them the mode of the
 * main file) are never readable by other users. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_OPEN,
                   _("Cannot create the folder “%s”: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved_errno = errno;

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_OPEN,
                   _("Cannot create the book “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  if (fd >= 0)
    close (fd);

  return TRUE;
}

static gboolean
apply_migrations (BbDb     *self,
                  int       from,
                  int       to,
                  GError  **error)
{
  const BbMigration *migrations;
  guint n_migrations;

  migrations = _bb_migrations_get (&n_migrations);

  for (guint i = 0; i < n_migrations; i++)
    {
      const BbMigration *m = &migrations[i];
      g_autofree char *set_version = NULL;
      g_autoptr(GError) local_error = NULL;

      if (m->version <= from || m->version > to)
        continue;

      /* Each migration is one transaction: all of it or none of it. */
      if (!_bb_db_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      set_version = g_strdup_printf ("PRAGMA user_version = %d", m->version); /* sql-ok: version from the code */

      if (!_bb_db_exec (self, m->sql, &local_error) ||
          !_bb_db_exec (self, set_version, &local_error) ||
          !_bb_db_exec (self, "COMMIT", &local_error))
        {
          _bb_db_exec (self, "ROLLBACK", NULL);
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Updating the book to version %d failed: "),
                                      m->version);
          return FALSE;
        }

      g_debug ("Book %s updated to schema version %d", self->path, m->version);
    }

  return TRUE;
}

/**
 * bb_db_needs_update:
 * @path: a book's file
 *
 * Whether opening @path will bring an existing book to this version's
 * schema first, which takes a while on a big book. Reads only; a file
 * that is missing, not a book or from a newer Billbook needs none (its
 * opening says what is wrong).
 */
gboolean
bb_db_needs_update (const char *path)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 application_id = 0, user_version = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (handle, "SELECT (SELECT application_id FROM pragma_application_id), "
                          "(SELECT user_version FROM pragma_user_version)", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      application_id = sqlite3_column_int64 (stmt, 0);
      user_version = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (handle);

  return application_id == BB_DB_APPLICATION_ID && user_version > 0 && user_version < BB_DB_SCHEMA_VERSION;
}

static BbDb *
open_internal (const char  *path,
               int          target_version,
               GError     **error)
{
  g_autoptr(BbDb) self = NULL;
  gint64 application_id = 0;
  gint64 user_version = 0;
  gint64 n_objects = 0;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!create_private_file (path, error))
    return NULL;

  self = g_object_new (BB_TYPE_DB, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _bb_db_set_error (self, rc, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->handle, TRUE);
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);

  /* Read before writing anything: a file that is not ours, or is from a
   * newer Billbook, must be left exactly as it is. */
  if (!query_int (self, "PRAGMA application_id", &application_id, error) ||
      !query_int (self, "PRAGMA user_version", &user_version, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    return NULL;

  if (application_id != BB_DB_APPLICATION_ID &&
      (application_id != 0 || n_objects > 0))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_A_BOOK,
                   _("“%s” is an SQLite database of another program, not a Billbook book."),
                   path);
      return NULL;
    }

  if (user_version > BB_DB_SCHEMA_VERSION)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_TOO_NEW,
                   _("The book “%s” was written by a newer version of Billbook "
                     "(book version %d, this version reads up to %d). "
                     "It has not been changed; open it with the newer Billbook."),
                   path, (int) user_version, BB_DB_SCHEMA_VERSION);
      return NULL;
    }

  if (!_bb_db_exec (self,
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = FULL;"
                    "PRAGMA foreign_keys = ON;"
                    "PRAGMA temp_store = MEMORY;",
                    error))
    return NULL;

  if (n_objects == 0)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d", BB_DB_APPLICATION_ID); /* sql-ok: constant */

      if (!_bb_db_exec (self, sql, error))
        return NULL;
    }

  if (!apply_migrations (self, (int) user_version, target_version, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * bb_db_open:
 * @path: the book's file; created (mode 0600) when it does not exist
 * @error: a #GError
 *
 * Opens a book and brings its schema up to date. A file that is not a
 * database, belongs to another program or was written by a newer Billbook
 * is refused and left untouched.
 *
 * Returns: (transfer full): the book, or %NULL with @error set
 */
BbDb *
bb_db_open (const char  *path,
            GError     **error)
{
  return open_internal (path, BB_DB_SCHEMA_VERSION, error);
}

/* For tests of upgrades: a book brought only up to @version. */
BbDb *
_bb_db_open_at_version (const char  *path,
                        int          version,
                        GError     **error)
{
  return open_internal (path, version, error);
}

const char *
bb_db_get_path (BbDb *self)
{
  g_return_val_if_fail (BB_IS_DB (self), NULL);

  return self->path;
}

int
bb_db_get_schema_version (BbDb *self)
{
  gint64 version = 0;

  g_return_val_if_fail (BB_IS_DB (self), 0);

  if (!query_int (self, "PRAGMA user_version", &version, NULL))
    return -1;

  return (int) version;
}

static gboolean
check (BbDb       *self,
       gboolean    full,
       GPtrArray **problems,
       GError    **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int version;
  int rc;

  rc = sqlite3_prepare_v2 (self->handle, full ? "PRAGMA integrity_check" : "PRAGMA quick_check",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _bb_db_set_error (self, rc, error);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_ptr_array_add (found, g_strdup_printf (_("Integrity: %s"), line));
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _bb_db_set_error (self, rc, error);
      return FALSE;
    }

  if (full)
    {
      rc = sqlite3_prepare_v2 (self->handle, "PRAGMA foreign_key_check", -1, &stmt, NULL);
      if (rc != SQLITE_OK)
        {
          _bb_db_set_error (self, rc, error);
          return FALSE;
        }

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (found,
                         g_strdup_printf (_("Row %lld of “%s” refers to a missing row of “%s”"),
                                          (long long) sqlite3_column_int64 (stmt, 1),
                                          (const char *) sqlite3_column_text (stmt, 0),
                                          (const char *) sqlite3_column_text (stmt, 2)));
      sqlite3_finalize (stmt);
    }

  version = bb_db_get_schema_version (self);
  if (version != BB_DB_SCHEMA_VERSION)
    g_ptr_array_add (found,
                     g_strdup_printf (_("Schema version is %d, expected %d"),
                                      version, BB_DB_SCHEMA_VERSION));

  if (problems)
    *problems = g_ptr_array_ref (found);

  return found->len == 0;
}

/**
 * bb_db_check:
 * @problems: (out) (optional): user-facing descriptions of what is wrong
 *
 * Runs SQLite's integrity and foreign key checks and compares the schema
 * version. Returns %TRUE when the book is sound; otherwise %FALSE, with
 * @problems listing every finding (and @error set only when the checks
 * themselves could not run). It reads the whole book: half a minute of
 * a core on a million bills.
 */
gboolean
bb_db_check (BbDb       *self,
             GPtrArray **problems,
             GError    **error)
{
  g_return_val_if_fail (BB_IS_DB (self), FALSE);

  return check (self, TRUE, problems, error);
}

/**
 * bb_db_check_quick:
 *
 * As bb_db_check(), with SQLite's quick check: every page and the shape
 * of every table and index, not whether each index holds exactly its
 * table's rows nor the foreign keys. What a disk error or a torn write
 * does shows here; it takes a sixth of the time (4.5 s rather than 29 on
 * a million bills).
 */
gboolean
bb_db_check_quick (BbDb       *self,
                   GPtrArray **problems,
                   GError    **error)
{
  g_return_val_if_fail (BB_IS_DB (self), FALSE);

  return check (self, FALSE, problems, error);
}

/**
 * bb_db_get_setting:
 *
 * Returns: (transfer full) (nullable): the stored value of @key
 */
char *
bb_db_get_setting (BbDb       *self,
                   const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (BB_IS_DB (self), NULL);

  stmt = _bb_db_prepare (self, "SELECT value FROM settings WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;

  _bb_stmt_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = _bb_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

gboolean
bb_db_set_setting (BbDb        *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_DB (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value == NULL)
    stmt = _bb_db_prepare (self, "DELETE FROM settings WHERE key = ?1", error);
  else
    stmt = _bb_db_prepare (self,
                           "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           error);
  if (stmt == NULL)
    return FALSE;

  _bb_stmt_bind_text (stmt, 1, key);
  if (value != NULL)
    _bb_stmt_bind_text (stmt, 2, value);

  return _bb_db_step_done (self, stmt, error);
}

static void flush_pending (BbDb *self);

/**
 * bb_db_begin:
 *
 * Starts a write transaction (BEGIN IMMEDIATE, so two processes never
 * both think they may write). Nested calls use savepoints.
 */
gboolean
bb_db_begin (BbDb    *self,
             GError **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (BB_IS_DB (self), FALSE);

  if (self->depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT bb_%u", self->depth); /* sql-ok: nesting depth */

  if (!_bb_db_exec (self, sql, error))
    return FALSE;

  self->depth++;
  return TRUE;
}

gboolean
bb_db_commit (BbDb    *self,
              GError **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (BB_IS_DB (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE bb_%u", self->depth - 1); /* sql-ok: nesting depth */

  if (!_bb_db_exec (self, sql, error))
    return FALSE;

  self->depth--;

  if (self->depth == 0 && self->pending->len > 0)
    flush_pending (self);

  return TRUE;
}

void
bb_db_rollback (BbDb *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (BB_IS_DB (self));
  g_return_if_fail (self->depth > 0);

  if (self->depth == 1)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO bb_%u; RELEASE bb_%u", /* sql-ok: nesting depth */
                           self->depth - 1, self->depth - 1);

  if (!_bb_db_exec (self, sql, NULL))
    g_warning ("Rollback failed: %s", sqlite3_errmsg (self->handle));

  self->depth--;

  /* Nothing happened, so there is nothing to announce. (A rolled back
   * savepoint keeps what the outer transaction queued: announcing a row
   * that did not change only makes a view re-read it.) */
  if (self->depth == 0)
    g_array_set_size (self->pending, 0);
}

/**
 * bb_db_transaction:
 * @func: the work; returns %FALSE with @error set to undo all of it
 *
 * Runs @func as one transaction: it happens wholly or not at all.
 */
gboolean
bb_db_transaction (BbDb                *self,
                   BbDbTransactionFunc  func,
                   gpointer             user_data,
                   GError             **error)
{
  g_return_val_if_fail (BB_IS_DB (self), FALSE);

  if (!bb_db_begin (self, error))
    return FALSE;

  if (!func (self, user_data, error) || !bb_db_commit (self, error))
    {
      bb_db_rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* Announces what the committed transaction changed: a row when only one
 * row of a table changed, else the table as a whole (id 0). */
static void
flush_pending (BbDb *self)
{
  g_autoptr(GArray) pending = g_steal_pointer (&self->pending);
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) whole = g_hash_table_new (NULL, NULL);

  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingChange));

  /* counts: how many distinct rows of each table changed. A view can
   * follow one row moving; for several at once it re-reads. */
  for (guint i = 0; i < pending->len; i++)
    {
      PendingChange *c = &g_array_index (pending, PendingChange, i);
      g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, c->table, c->id);

      if (c->id == 0)
        g_hash_table_add (whole, (gpointer) c->table);
      else if (g_hash_table_add (seen, g_steal_pointer (&key)))
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, c->table));

          g_hash_table_insert (counts, (gpointer) c->table, GUINT_TO_POINTER (n + 1));
        }
    }
  g_hash_table_remove_all (seen);

  for (guint i = 0; i < pending->len; i++)
    {
      PendingChange *c = &g_array_index (pending, PendingChange, i);
      g_autofree char *key = NULL;

      if (g_hash_table_contains (whole, c->table) ||
          GPOINTER_TO_UINT (g_hash_table_lookup (counts, c->table)) > 1)
        {
          if (g_hash_table_add (seen, g_strdup (c->table)))
            g_signal_emit (self, signals[CHANGED], g_quark_from_string (c->table), c->table, (gint64) 0);
          continue;
        }

      key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, c->table, c->id);
      if (g_hash_table_add (seen, g_steal_pointer (&key)))
        g_signal_emit (self, signals[CHANGED], g_quark_from_string (c->table), c->table, c->id);
    }
}

/**
 * bb_db_emit_changed:
 * @table: the table whose rows changed
 * @id: the row, or 0 for many rows
 *
 * Announces a change. Inside a transaction the announcement waits for the
 * outermost COMMIT (and is dropped on ROLLBACK), so views never show what
 * was not saved.
 */
void
bb_db_emit_changed (BbDb       *self,
                    const char *table,
                    gint64      id)
{
  PendingChange change;

  g_return_if_fail (BB_IS_DB (self));

  change.table = g_intern_string (table);
  change.id = id;
  g_array_append_val (self->pending, change);

  if (self->depth == 0)
    flush_pending (self);
}

gboolean
_bb_db_audit (BbDb        *self,
              const char  *action,
              const char  *table,
              gint64       record_id,
              const char  *detail,
              GError     **error)
{
  g_autofree char *now = _bb_db_now_utc ();
  sqlite3_stmt *stmt;

  stmt = _bb_db_prepare (self,
                         "INSERT INTO audit_log (at, action, table_name, record_id, detail) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
                         error);
  if (stmt == NULL)
    return FALSE;

  _bb_stmt_bind_text (stmt, 1, now);
  _bb_stmt_bind_text (stmt, 2, action);
  _bb_stmt_bind_text (stmt, 3, table);
  sqlite3_bind_int64 (stmt, 4, record_id);
  _bb_stmt_bind_text (stmt, 5, detail ? detail : "");

  return _bb_db_step_done (self, stmt, error);
}
