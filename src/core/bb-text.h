/* bb-text.h — checks every text field and date goes through
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  bb_text_validate    (const char  *text,
                               const char  *field,
                               gsize        max_chars,
                               gboolean     multiline,
                               GError     **error);
char     *bb_text_strip       (const char  *text);
char     *bb_text_quote       (const char  *text);
gboolean  bb_text_is_phone    (const char  *text);
gboolean  bb_text_is_email    (const char  *text);
char     *bb_text_phone_digits (const char *text);

gboolean  bb_date_parse       (const char  *text,
                               const char  *field,
                               GDate       *out,
                               GError     **error);
char     *bb_date_to_iso      (const GDate *date);
void      bb_date_set_today   (GDate       *date);

G_END_DECLS
