/* bb-test-damage.h — a book that opens but is damaged, for the tests of the checks
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

/* Gives the book at @path an index whose root is a table's pages:
 * SQLite opens the file, and both its checks, quick and whole, fail. */
static inline void
bb_test_damage_book (const char *path)
{
  sqlite3 *handle;

  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle,
                                 "CREATE TABLE junk (x);"
                                 "CREATE INDEX junk_x ON junk (x);"
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
                                 "INSERT INTO junk SELECT i FROM n;"
                                 "PRAGMA writable_schema = ON;"
                                 "UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 'junk') "
                                 "WHERE name = 'junk_x';"
                                 "PRAGMA writable_schema = OFF;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}
