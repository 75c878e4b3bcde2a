/* bb-cli-backup.c — billbook-cli backup FILE / restore FILE
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-backup.h"
#include "bb-cli.h"

int
bb_cli_backup (BbDb  *db,
               int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    {
      g_printerr (_("Usage: billbook-cli backup FILE\n"));
      return 1;
    }

  /* Nothing is overwritten without asking: choose another name. */
  if (g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      g_printerr (_("%s already exists; choose a new file name for the backup\n"), argv[1]);
      return 1;
    }

  if (!bb_backup_to_file (db, argv[1], &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print (_("Backed up the book to %s.\n"), argv[1]);
  return 0;
}

int
bb_cli_restore (BbDb  *db,
                int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *book_dir = g_path_get_dirname (bb_db_get_path (db));
  g_autofree char *dir = g_build_filename (book_dir, "backups", NULL);
  g_autofree char *saved = NULL;

  if (argc != 2)
    {
      g_printerr (_("Usage: billbook-cli restore FILE\n"));
      return 1;
    }

  /* The current book is saved beside it first: nothing is lost. */
  if (!bb_backup_restore (db, argv[1], dir, &saved, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print (_("Restored the book from %s. The book as it was is saved in %s.\n"), argv[1], saved);
  return 0;
}
