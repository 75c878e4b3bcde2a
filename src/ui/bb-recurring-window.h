/* bb-recurring-window.h — recurring charges: list, add, stop, and bill the due ones
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_RECURRING_WINDOW (bb_recurring_window_get_type ())
G_DECLARE_FINAL_TYPE (BbRecurringWindow, bb_recurring_window, BB, RECURRING_WINDOW, AdwWindow)

/* @customer_id: 0 for every customer's charges, or the one customer's */
BbRecurringWindow *bb_recurring_window_new     (GtkWindow         *parent,
                                                BbDb              *db,
                                                gint64             customer_id);
guint              bb_recurring_window_get_n_shown (BbRecurringWindow *self);

G_END_DECLS
