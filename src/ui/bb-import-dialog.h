/* bb-import-dialog.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_IMPORT_DIALOG (bb_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbImportDialog, bb_import_dialog, BB, IMPORT_DIALOG, AdwWindow)

BbImportDialog *bb_import_dialog_new       (GtkWindow      *parent,
                                            BbDb           *db);
void            bb_import_dialog_open_file (BbImportDialog *self,
                                            GFile          *file);

G_END_DECLS
