/* bb-backup.h — copies of the book, made and restored safely
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-db.h"

G_BEGIN_DECLS

char     *bb_backup_get_default_dir  (void);
gboolean  bb_backup_to_file          (BbDb         *db,
                                      const char   *path,
                                      GError      **error);
gboolean  bb_backup_check_file       (const char   *path,
                                      int          *version,
                                      GError      **error);
gboolean  bb_backup_restore          (BbDb         *db,
                                      const char   *backup_path,
                                      const char   *backup_dir,
                                      char        **saved_copy,
                                      GError      **error);
gboolean  bb_backup_automatic_is_due (BbDb         *db,
                                      const char   *backup_dir,
                                      const GDate  *today);
gboolean  bb_backup_automatic        (BbDb         *db,
                                      const char   *backup_dir,
                                      const GDate  *today,
                                      char        **made,
                                      GError      **error);
GStrv     bb_backup_select_kept      (const char * const *dates,
                                      const GDate  *today);
char     *bb_backup_find_newest_good (const char   *backup_dir,
                                      const char   *book);

G_END_DECLS
