/* bb-interaction-dialog.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_INTERACTION_DIALOG (bb_interaction_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbInteractionDialog, bb_interaction_dialog, BB, INTERACTION_DIALOG, AdwWindow)

BbInteractionDialog *bb_interaction_dialog_new (GtkWindow *parent,
                                                BbDb      *db,
                                                gint64     customer_id);
void                 bb_interaction_dialog_prefill (BbInteractionDialog *self,
                                                    const char          *channel,
                                                    const char          *kind,
                                                    const char          *summary);

G_END_DECLS
