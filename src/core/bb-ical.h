/* bb-ical.h — iCalendar (RFC 5545) export of bills' due dates and follow-ups
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-db.h"

G_BEGIN_DECLS

/* Octets of a content line before it is folded (RFC 5545, 3.1). */
#define BB_ICAL_LINE_OCTETS 75

char     *bb_ical_escape_text       (const char           *text);
void      bb_ical_append_line       (GString              *out,
                                     const char           *line);

gboolean  bb_ical_export            (BbDb                 *db,
                                     GOutputStream        *out,
                                     GDateTime            *stamp,
                                     GCancellable         *cancellable,
                                     GError              **error);
gboolean  bb_ical_export_to_file    (BbDb                 *db,
                                     GFile                *file,
                                     GCancellable         *cancellable,
                                     GError              **error);
void      bb_ical_export_async      (BbDb                 *db,
                                     GFile                *file,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean  bb_ical_export_finish     (BbDb                 *db,
                                     GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
