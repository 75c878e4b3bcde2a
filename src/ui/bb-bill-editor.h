/* bb-bill-editor.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_BILL_EDITOR (bb_bill_editor_get_type ())
G_DECLARE_FINAL_TYPE (BbBillEditor, bb_bill_editor, BB, BILL_EDITOR, AdwWindow)

BbBillEditor *bb_bill_editor_new           (GtkWindow    *parent,
                                            BbDb         *db,
                                            gint64        invoice_id);
gint64        bb_bill_editor_get_invoice   (BbBillEditor *self);
void          bb_bill_editor_set_customer  (BbBillEditor *self,
                                            gint64        customer_id);
guint         bb_bill_editor_add_line      (BbBillEditor *self,
                                            const char   *description,
                                            const char   *quantity,
                                            const char   *unit_price,
                                            const char   *discount,
                                            const char   *tax);
const char   *bb_bill_editor_get_total_text (BbBillEditor *self);
gboolean      bb_bill_editor_can_save      (BbBillEditor *self);

G_END_DECLS
