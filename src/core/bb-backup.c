/* bb-backup.c — copies of the book, made and restored safely
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Copies are made with SQLite's online backup API, so a consistent book is
 * copied even while it is in use, into a temporary file that is renamed
 * into place only when complete. Automatic copies are named after the
 * book and the day, BOOK-YYYY-MM-DD.db (billbook-2026-11-23.db for the
 * default book), so books sharing a folder keep their own; of those, 7
 * daily, 4 weekly and 12 monthly are kept.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "bb-backup.h"
#include "bb-db-private.h"
#include "bb-text.h"

#define AUTO_SUFFIX ".db"

/* "billbook-" for billbook.db: what every copy of a book starts with. */
static char *
book_prefix (const char *book)
{
  g_autofree char *base = g_path_get_basename (book);

  if (g_str_has_suffix (base, ".db"))
    base[strlen (base) - 3] = '\0';

  return g_strconcat (base, "-", NULL);
}

char *
bb_backup_get_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "billbook", "backups", NULL);
}

static gboolean
copy_database (sqlite3     *from,
               sqlite3     *to,
               GError     **error)
{
  sqlite3_backup *backup;
  int rc;

  backup = sqlite3_backup_init (to, "main", from, "main");
  if (backup == NULL)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_FAILED,
                   _("The copy could not be started: %s"), sqlite3_errmsg (to));
      return FALSE;
    }

  do
    {
      rc = sqlite3_backup_step (backup, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);

  sqlite3_backup_finish (backup);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_FAILED,
                   _("The copy failed: %s"), sqlite3_errstr (rc));
      return FALSE;
    }

  return TRUE;
}

/**
 * bb_backup_to_file:
 * @path: where the copy goes; replaced only once the copy is complete
 *
 * Copies the whole book to @path (mode 0600) with the online backup API.
 */
gboolean
bb_backup_to_file (BbDb        *db,
                   const char  *path,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_strconcat (path, ".partial", NULL);
  sqlite3 *dest = NULL;
  gboolean ok;
  int fd;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_OPEN,
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  g_unlink (tmp);
  fd = g_open (tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_OPEN,
                   _("Cannot write the backup “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  if (sqlite3_open_v2 (tmp, &dest, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_OPEN,
                   _("Cannot write the backup “%s”: %s"), path, sqlite3_errmsg (dest));
      sqlite3_close (dest);
      g_unlink (tmp);
      return FALSE;
    }

  ok = copy_database (_bb_db_get_handle (db), dest, error);
  /* A backup is one self-contained file: no -wal beside it. */
  if (ok)
    ok = sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) == SQLITE_OK;
  sqlite3_close (dest);

  if (!ok || g_rename (tmp, path) != 0)
    {
      if (ok)
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_OPEN,
                     _("Cannot write the backup “%s”: %s"), path, g_strerror (errno));
      g_unlink (tmp);
      return FALSE;
    }

  return TRUE;
}

/**
 * bb_backup_check_file:
 * @version: (out) (optional): the schema version of the copy
 *
 * Checks that @path is a sound Billbook book this version can open:
 * a Billbook database, integrity ok, not from a newer Billbook. The file
 * is opened read-only and not changed.
 */
gboolean
bb_backup_check_file (const char  *path,
                      int         *version,
                      GError     **error)
{
  g_autofree char *uri = NULL;
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 application_id = 0, user_version = 0;
  gboolean ok = FALSE;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_OPEN, _("“%s” does not exist"), path);
      return FALSE;
    }

  if (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    goto not_a_book;

  if (sqlite3_prepare_v2 (handle, "PRAGMA application_id", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    goto not_a_book;
  application_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (application_id != 0x42424B31)
    goto not_a_book;

  if (sqlite3_prepare_v2 (handle, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    goto not_a_book;
  user_version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (user_version > BB_DB_SCHEMA_VERSION)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Billbook (book version %d, this version reads up to %d)"),
                   path, (int) user_version, BB_DB_SCHEMA_VERSION);
      goto out;
    }

  if (sqlite3_prepare_v2 (handle, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW ||
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_CORRUPT,
                   _("“%s” is damaged: its integrity check failed"), path);
      goto out;
    }

  if (version)
    *version = (int) user_version;
  ok = TRUE;
  goto out;

not_a_book:
  g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_A_BOOK,
               _("“%s” is not a Billbook book"), path);
out:
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return ok;
}

static char *
timestamped_name (const char *prefix)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");

  return g_strconcat (prefix, stamp, AUTO_SUFFIX, NULL);
}

/**
 * bb_backup_restore:
 * @backup_path: the copy to restore
 * @backup_dir: where the current book is saved first
 * @saved_copy: (out) (optional): the path of that saved copy
 *
 * Checks the copy (integrity, schema version), saves the current book into
 * @backup_dir, then replaces the book's contents with the copy's, through
 * the open connection, and brings the schema up to date.
 */
gboolean
bb_backup_restore (BbDb        *db,
                   const char  *backup_path,
                   const char  *backup_dir,
                   char       **saved_copy,
                   GError     **error)
{
  g_autofree char *prefix = book_prefix (bb_db_get_path (db));
  g_autofree char *kept_prefix = g_strconcat (prefix, "before-restore-", NULL);
  g_autofree char *name = timestamped_name (kept_prefix);
  g_autofree char *copy = g_build_filename (backup_dir, name, NULL);
  sqlite3 *source = NULL;
  gboolean ok;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  if (!bb_backup_check_file (backup_path, NULL, error))
    return FALSE;

  if (!bb_backup_to_file (db, copy, error))
    {
      g_prefix_error (error, _("The current book could not be saved first, so nothing was restored: "));
      return FALSE;
    }

  if (sqlite3_open_v2 (backup_path, &source, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_OPEN,
                   _("Cannot read “%s”: %s"), backup_path, sqlite3_errmsg (source));
      sqlite3_close (source);
      return FALSE;
    }

  ok = copy_database (source, _bb_db_get_handle (db), error);
  sqlite3_close (source);
  if (!ok)
    return FALSE;

  /* The copy may be from an older Billbook; the book keeps WAL mode. */
  _bb_db_exec (db, "PRAGMA journal_mode = WAL", NULL);
  if (!_bb_db_audit (db, "restore", "settings", 0, backup_path, error))
    return FALSE;

  if (saved_copy)
    *saved_copy = g_steal_pointer (&copy);

  bb_db_emit_changed (db, "customers", 0);
  bb_db_emit_changed (db, "invoices", 0);
  bb_db_emit_changed (db, "payments", 0);
  bb_db_emit_changed (db, "prepaid_accounts", 0);
  bb_db_emit_changed (db, "settings", 0);

  return TRUE;
}

static char *
auto_prefix (BbDb *db)
{
  return book_prefix (bb_db_get_path (db));
}

static gboolean
parse_auto_name (const char *prefix,
                 const char *name,
                 GDate      *date)
{
  g_autofree char *iso = NULL;

  if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, AUTO_SUFFIX) ||
      strlen (name) != strlen (prefix) + 10 + strlen (AUTO_SUFFIX))
    return FALSE;

  iso = g_strndup (name + strlen (prefix), 10);
  return bb_date_parse (iso, "", date, NULL);
}

static int
compare_iso (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* "2026-W48": the ISO week and its own year (29 Dec may be in week 1). */
static char *
iso_week (const GDate *date)
{
  guint week = g_date_get_iso8601_week_of_year (date);
  guint year = g_date_get_year (date);

  if (week == 1 && g_date_get_month (date) == G_DATE_DECEMBER)
    year++;
  else if (week >= 52 && g_date_get_month (date) == G_DATE_JANUARY)
    year--;

  return g_strdup_printf ("%u-W%02u", year, week);
}

/**
 * bb_backup_select_kept:
 * @dates: the dates (YYYY-MM-DD) of the automatic copies there are
 *
 * The retention rule: the 7 newest days, the newest copy of each of the 4
 * newest weeks, and the newest copy of each of the 12 newest months.
 *
 * Returns: (transfer full): the dates to keep
 */
GStrv
bb_backup_select_kept (const char * const *dates,
                       const GDate        *today)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) weeks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) months = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint days = 0;

  for (guint i = 0; dates[i]; i++)
    g_ptr_array_add (sorted, (gpointer) dates[i]);
  /* ISO dates sort as text; walked newest first below. */
  g_ptr_array_sort (sorted, compare_iso);

  for (guint i = sorted->len; i > 0; i--)
    {
      const char *iso = g_ptr_array_index (sorted, i - 1);
      GDate date;
      g_autofree char *week = NULL;
      g_autofree char *month = NULL;
      gboolean keep = FALSE;

      if (!bb_date_parse (iso, "", &date, NULL) || g_date_compare (&date, today) > 0)
        continue;

      if (days < 7)
        {
          keep = TRUE;
          days++;
        }

      week = iso_week (&date);
      if (!g_hash_table_contains (weeks, week) && g_hash_table_size (weeks) < 4)
        {
          g_hash_table_add (weeks, g_steal_pointer (&week));
          keep = TRUE;
        }

      month = g_strndup (iso, 7);
      if (!g_hash_table_contains (months, month) && g_hash_table_size (months) < 12)
        {
          g_hash_table_add (months, g_steal_pointer (&month));
          keep = TRUE;
        }

      if (keep)
        g_strv_builder_add (builder, iso);
    }

  return g_strv_builder_end (builder);
}

/* Today's automatic copy of @db in @backup_dir. */
static char *
automatic_path (BbDb        *db,
                const char  *backup_dir,
                const GDate *today)
{
  g_autofree char *today_iso = bb_date_to_iso (today);
  g_autofree char *prefix = auto_prefix (db);
  g_autofree char *name = g_strconcat (prefix, today_iso, AUTO_SUFFIX, NULL);

  return g_build_filename (backup_dir, name, NULL);
}

/**
 * bb_backup_automatic_is_due:
 *
 * Returns: whether bb_backup_automatic() would make a copy @today: none
 *   was made yet
 */
gboolean
bb_backup_automatic_is_due (BbDb        *db,
                            const char  *backup_dir,
                            const GDate *today)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  path = automatic_path (db, backup_dir, today);
  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

/**
 * bb_backup_automatic:
 * @made: (out) (optional): the copy made, or %NULL when today's exists
 *
 * At most one automatic copy a day; then prunes old ones by the
 * retention rule. Only files named BOOK-YYYY-MM-DD.db (the book's own
 * name) are touched.
 */
gboolean
bb_backup_automatic (BbDb         *db,
                     const char   *backup_dir,
                     const GDate  *today,
                     char        **made,
                     GError      **error)
{
  g_autofree char *prefix = auto_prefix (db);
  g_autofree char *path = automatic_path (db, backup_dir, today);
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  g_auto(GStrv) dates = NULL;
  g_auto(GStrv) keep = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  if (made)
    *made = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!bb_backup_to_file (db, path, error))
        return FALSE;
      if (made)
        *made = g_strdup (path);
    }

  dir = g_dir_open (backup_dir, 0, NULL);
  while (dir && (entry = g_dir_read_name (dir)))
    {
      GDate date;

      if (parse_auto_name (prefix, entry, &date))
        {
          g_autofree char *iso = bb_date_to_iso (&date);

          g_strv_builder_add (found, iso);
        }
    }

  dates = g_strv_builder_end (found);
  keep = bb_backup_select_kept ((const char * const *) dates, today);

  for (guint i = 0; dates[i]; i++)
    if (!g_strv_contains ((const char * const *) keep, dates[i]))
      {
        g_autofree char *old_name = g_strconcat (prefix, dates[i], AUTO_SUFFIX, NULL);
        g_autofree char *old = g_build_filename (backup_dir, old_name, NULL);

        g_unlink (old);
      }

  return TRUE;
}

/**
 * bb_backup_find_newest_good:
 *
 * Returns: (nullable): the newest copy of @book in @backup_dir that
 *   passes bb_backup_check_file(), for the start-up recovery offer
 */
char *
bb_backup_find_newest_good (const char *backup_dir,
                            const char *book)
{
  g_autofree char *prefix = book_prefix (book);
  g_autoptr(GDir) dir = g_dir_open (backup_dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  while (dir && (entry = g_dir_read_name (dir)))
    if (g_str_has_prefix (entry, prefix) && g_str_has_suffix (entry, AUTO_SUFFIX))
      g_ptr_array_add (names, g_strdup (entry));

  /* Automatic copies sort by date in their names; pick by mtime to also
   * weigh "before-restore" and hand-made copies fairly. */
  {
    char *best = NULL;
    gint64 best_time = G_MININT64;

    for (guint i = 0; i < names->len; i++)
      {
        g_autofree char *path = g_build_filename (backup_dir, g_ptr_array_index (names, i), NULL);
        GStatBuf st;

        if (g_stat (path, &st) != 0 || (gint64) st.st_mtime < best_time)
          continue;
        if (!bb_backup_check_file (path, NULL, NULL))
          continue;

        g_free (best);
        best = g_steal_pointer (&path);
        best_time = st.st_mtime;
      }

    return best;
  }
}
