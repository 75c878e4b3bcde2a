/* bb-prepaid-card-editor.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_PREPAID_CARD_EDITOR (bb_prepaid_card_editor_get_type ())
G_DECLARE_FINAL_TYPE (BbPrepaidCardEditor, bb_prepaid_card_editor, BB, PREPAID_CARD_EDITOR, AdwWindow)

/* @account_id: the card whose terms are edited, or 0 for a new card
 * (of @customer_id, or of a customer chosen in the editor when 0). */
BbPrepaidCardEditor *bb_prepaid_card_editor_new (GtkWindow *parent,
                                                 BbDb      *db,
                                                 gint64     account_id,
                                                 gint64     customer_id);

G_END_DECLS
