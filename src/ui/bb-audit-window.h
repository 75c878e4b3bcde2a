/* bb-audit-window.h — the audit log, to read
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_AUDIT_WINDOW (bb_audit_window_get_type ())
G_DECLARE_FINAL_TYPE (BbAuditWindow, bb_audit_window, BB, AUDIT_WINDOW, AdwWindow)

BbAuditWindow *bb_audit_window_new (GtkWindow *parent,
                                    BbDb      *db);

G_END_DECLS
