/* bb-window.h
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-application.h"
#include "bb-db.h"

G_BEGIN_DECLS

#define BB_TYPE_WINDOW (bb_window_get_type ())
G_DECLARE_FINAL_TYPE (BbWindow, bb_window, BB, WINDOW, AdwApplicationWindow)

BbWindow   *bb_window_new            (BbApplication *application,
                                      BbDb          *db);
BbDb       *bb_window_get_database   (BbWindow      *self);
const char *bb_window_get_page       (BbWindow      *self);
void        bb_window_show_toast     (BbWindow      *self,
                                      const char    *text);

G_END_DECLS
