/* bb-invoice-pdf-private.h — what other renderers of core share with bills
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

G_BEGIN_DECLS

/* pango_cairo_show_layout() at the current point, but with the glyphs of
 * Chinese fonts as outlines (a Type 3 font, still text): cairo 1.16
 * empties parts of some CFF CJK glyphs when it subsets them into a PDF
 * or PostScript file (bb-invoice-pdf.c says how). */
void  _bb_pdf_show_layout  (cairo_t     *cr,
                            PangoLayout *layout);

G_END_DECLS
