/* test-backup.c — backups, restore and the retention rule
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "bb-backup.h"
#include "bb-db-private.h"
#include "bb-text.h"

typedef struct
{
  char *dir;
  char *path;
  char *backups;
  BbDb *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-backup-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->backups = g_build_filename (f->dir, "backups", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (bb_db_set_setting (f->db, "business.name", "Before", &error));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->backups);
}

static void
test_backup_and_restore (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *name = NULL;
  int version = -1;
  GStatBuf st;

  g_assert_true (bb_backup_to_file (f->db, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (bb_backup_check_file (copy, &version, &error));
  g_assert_cmpint (version, ==, BB_DB_SCHEMA_VERSION);

  /* Change the book, then restore the copy: the change is gone, and the
   * book as it was is kept in the backup folder. */
  g_assert_true (bb_db_set_setting (f->db, "business.name", "After", &error));
  g_assert_true (bb_backup_restore (f->db, copy, f->backups, &saved, &error));
  g_assert_no_error (error);
  name = bb_db_get_setting (f->db, "business.name");
  g_assert_cmpstr (name, ==, "Before");

  g_assert_nonnull (saved);
  g_assert_true (bb_backup_check_file (saved, NULL, &error));
  {
    g_autoptr(BbDb) kept = bb_db_open (saved, &error);
    g_autofree char *kept_name = NULL;

    g_assert_no_error (error);
    kept_name = bb_db_get_setting (kept, "business.name");
    g_assert_cmpstr (kept_name, ==, "After");
  }

  /* The restored book still writes and checks fine. */
  g_assert_true (bb_db_set_setting (f->db, "business.name", "Again", &error));
  g_assert_true (bb_db_check (f->db, NULL, &error));
}

static void
test_restore_refuses_bad_files (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *junk = g_build_filename (f->dir, "junk.db", NULL);
  g_autofree char *damaged = g_build_filename (f->dir, "damaged.db", NULL);
  g_autofree char *newer = g_build_filename (f->dir, "newer.db", NULL);
  g_autofree char *name = NULL;

  g_assert_true (g_file_set_contents (junk, "not a database at all, just some text that is long enough", -1, NULL));
  g_assert_false (bb_backup_restore (f->db, junk, f->backups, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_A_BOOK);
  g_clear_error (&error);

  /* A copy whose pages were overwritten in the middle. */
  g_assert_true (bb_backup_to_file (f->db, damaged, &error));
  {
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (damaged, &contents, &length, NULL));
    g_assert_cmpuint (length, >, 8192);
    memset (contents + 4096, 0xA5, 4096);
    g_assert_true (g_file_set_contents (damaged, contents, length, NULL));
  }
  g_assert_false (bb_backup_restore (f->db, damaged, f->backups, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (bb_backup_to_file (f->db, newer, &error));
  {
    sqlite3 *handle;

    g_assert_cmpint (sqlite3_open (newer, &handle), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "PRAGMA user_version = 77", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (handle);
  }
  g_assert_false (bb_backup_restore (f->db, newer, f->backups, NULL, &error));
  g_assert_error (error, BB_DB_ERROR, BB_DB_ERROR_TOO_NEW);
  g_clear_error (&error);

  /* Nothing was replaced, and no copy was needed. */
  name = bb_db_get_setting (f->db, "business.name");
  g_assert_cmpstr (name, ==, "Before");
  g_assert_false (g_file_test (f->backups, G_FILE_TEST_EXISTS));
}

static void
test_automatic_once_a_day (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *made = NULL;
  g_autofree char *again = NULL;
  g_autofree char *newest = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);

  /* Due before the day's copy (the start check then checks the whole
   * book first), not after it. */
  g_assert_true (bb_backup_automatic_is_due (f->db, f->backups, &today));
  g_assert_true (bb_backup_automatic (f->db, f->backups, &today, &made, &error));
  g_assert_no_error (error);
  g_assert_nonnull (made);
  g_assert_true (g_str_has_suffix (made, "/book-2026-11-23.db"));
  g_assert_false (bb_backup_automatic_is_due (f->db, f->backups, &today));

  g_assert_true (bb_backup_automatic (f->db, f->backups, &today, &again, &error));
  g_assert_null (again);
  g_date_add_days (&today, 1);
  g_assert_true (bb_backup_automatic_is_due (f->db, f->backups, &today));

  newest = bb_backup_find_newest_good (f->backups, f->path);
  g_assert_cmpstr (newest, ==, made);
}

/* Which automatic copies survive: 7 daily, 4 weekly, 12 monthly. */
static void
test_retention (void)
{
  g_autoptr(GPtrArray) dates = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) kept = NULL;
  GDate today, d;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);

  /* A copy every day for two years. */
  d = today;
  for (guint i = 0; i < 730; i++)
    {
      g_ptr_array_add (dates, bb_date_to_iso (&d));
      g_date_subtract_days (&d, 1);
    }
  g_ptr_array_add (dates, NULL);

  kept = bb_backup_select_kept ((const char * const *) dates->pdata, &today);

  /* The 7 newest days… */
  for (guint i = 0; i < 7; i++)
    g_assert_true (g_strv_contains ((const char * const *) kept, g_ptr_array_index (dates, i)));
  g_assert_false (g_strv_contains ((const char * const *) kept, "2026-11-16"));
  /* …the newest of each of 4 weeks (2026-11-15 is a Sunday: week 46)… */
  g_assert_true (g_strv_contains ((const char * const *) kept, "2026-11-15"));
  g_assert_true (g_strv_contains ((const char * const *) kept, "2026-11-08"));
  g_assert_false (g_strv_contains ((const char * const *) kept, "2026-11-01") &&
                  g_strv_contains ((const char * const *) kept, "2026-10-25"));
  /* …and the newest of each of 12 months. */
  g_assert_true (g_strv_contains ((const char * const *) kept, "2026-10-31"));
  g_assert_true (g_strv_contains ((const char * const *) kept, "2025-12-31"));
  g_assert_false (g_strv_contains ((const char * const *) kept, "2025-11-30"));
  g_assert_false (g_strv_contains ((const char * const *) kept, "2025-01-31"));
  /* 7 days + 2 more weeks + 11 more months (November is already kept). */
  g_assert_cmpuint (g_strv_length (kept), ==, 7 + 2 + 11);
}

static void
test_automatic_prunes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GDate today, d;
  guint n = 0;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);

  g_assert_cmpint (g_mkdir_with_parents (f->backups, 0700), ==, 0);
  d = today;
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *iso = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      g_date_subtract_days (&d, 1);
      iso = bb_date_to_iso (&d);
      name = g_strconcat ("book-", iso, ".db", NULL);
      path = g_build_filename (f->backups, name, NULL);
      g_assert_true (g_file_set_contents (path, "x", 1, NULL));
    }
  /* A file of the owner's own is never touched. */
  {
    g_autofree char *mine = g_build_filename (f->backups, "my-copy.db", NULL);

    g_assert_true (g_file_set_contents (mine, "x", 1, NULL));
  }

  g_assert_true (bb_backup_automatic (f->db, f->backups, &today, NULL, &error));
  g_assert_no_error (error);

  {
    g_autoptr(GDir) dir = g_dir_open (f->backups, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)))
      n++;
  }
  /* today + 6 days + 2 weeks + 2 months (Oct, Sep) + my-copy.db */
  g_assert_cmpuint (n, ==, 7 + 2 + 2 + 1);
}

/* Two books in one folder keep their own automatic copies. */
static void
test_automatic_per_book (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = g_build_filename (f->dir, "shop2.db", NULL);
  g_autoptr(BbDb) other = bb_db_open (other_path, &error);
  g_autofree char *made = NULL;
  g_autofree char *other_made = NULL;
  GDate today;

  g_assert_no_error (error);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);

  g_assert_true (bb_backup_automatic (f->db, f->backups, &today, &made, &error));
  g_assert_true (bb_backup_automatic (other, f->backups, &today, &other_made, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (made, "/book-2026-11-23.db"));
  g_assert_true (g_str_has_suffix (other_made, "/shop2-2026-11-23.db"));
  g_assert_true (g_file_test (made, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other_made, G_FILE_TEST_EXISTS));

  g_clear_object (&other);
  {
    g_autofree char *wal = g_strconcat (other_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (other_path, "-shm", NULL);

    g_unlink (other_path);
    g_unlink (wal);
    g_unlink (shm);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/backup/backup-and-restore", test_backup_and_restore);
  ADD ("/backup/restore-refuses-bad-files", test_restore_refuses_bad_files);
  ADD ("/backup/automatic/once-a-day", test_automatic_once_a_day);
  ADD ("/backup/automatic/prunes", test_automatic_prunes);
  ADD ("/backup/automatic/per-book", test_automatic_per_book);
  g_test_add_func ("/backup/retention", test_retention);

#undef ADD

  return g_test_run ();
}
