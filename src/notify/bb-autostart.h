/* bb-autostart.h — the XDG autostart entry that starts `billbook --background` with the session
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *bb_autostart_get_path     (void);
char     *bb_autostart_get_exec     (const char  *database);
gboolean  bb_autostart_is_enabled   (void);
gboolean  bb_autostart_set_enabled  (gboolean     enabled,
                                     const char  *database,
                                     GError     **error);

G_END_DECLS
