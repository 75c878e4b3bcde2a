/* bb-customer-editor.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_CUSTOMER_EDITOR (bb_customer_editor_get_type ())
G_DECLARE_FINAL_TYPE (BbCustomerEditor, bb_customer_editor, BB, CUSTOMER_EDITOR, AdwWindow)

BbCustomerEditor *bb_customer_editor_new        (GtkWindow        *parent,
                                                 BbDb             *db,
                                                 gint64            customer_id);
gboolean          bb_customer_editor_can_save   (BbCustomerEditor *self);

G_END_DECLS
