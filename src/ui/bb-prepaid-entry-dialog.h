/* bb-prepaid-entry-dialog.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"
#include "bb-prepaid-entry.h"

G_BEGIN_DECLS

/* What the dialog writes: one core call each. */
typedef enum
{
  BB_PREPAID_DIALOG_TOP_UP,
  BB_PREPAID_DIALOG_CHARGE,
  BB_PREPAID_DIALOG_REFUND,
  BB_PREPAID_DIALOG_ADJUST,
  BB_PREPAID_DIALOG_REDEEM,
  BB_PREPAID_DIALOG_REVERSE,
} BbPrepaidDialogKind;

#define BB_TYPE_PREPAID_ENTRY_DIALOG (bb_prepaid_entry_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbPrepaidEntryDialog, bb_prepaid_entry_dialog, BB, PREPAID_ENTRY_DIALOG, AdwWindow)

/* @id: the card; for REVERSE, the charge to take back */
BbPrepaidEntryDialog *bb_prepaid_entry_dialog_new          (GtkWindow             *parent,
                                                            BbDb                  *db,
                                                            BbPrepaidDialogKind    kind,
                                                            gint64                 id);
gint64                bb_prepaid_entry_dialog_get_entry_id (BbPrepaidEntryDialog  *self);

G_END_DECLS
