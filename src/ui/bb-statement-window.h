/* bb-statement-window.h — reconcile an Alipay, WeChat Pay or bank statement with the bills
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_STATEMENT_WINDOW (bb_statement_window_get_type ())
G_DECLARE_FINAL_TYPE (BbStatementWindow, bb_statement_window, BB, STATEMENT_WINDOW, AdwWindow)

BbStatementWindow *bb_statement_window_new           (GtkWindow         *parent,
                                                      BbDb              *db);
void               bb_statement_window_open_file     (BbStatementWindow *self,
                                                      GFile             *file);
/* "choose", "mapping", "progress", "problems", "review" or "done" */
const char        *bb_statement_window_get_state     (BbStatementWindow *self);
guint              bb_statement_window_get_n_recorded (BbStatementWindow *self);

G_END_DECLS
