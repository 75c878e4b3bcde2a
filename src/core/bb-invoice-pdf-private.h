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

/* Whether @text has Chinese (Japanese, Korean) characters or CJK
 * punctuation: such text is laid out in a context of a Chinese language,
 * or Pango picks the Japanese face. */
gboolean      _bb_pdf_text_is_cjk        (const char    *text);

/* The Chinese the reader reads ("zh-cn", or "zh-tw" / "zh-hk" for a
 * traditional-character locale), or NULL if they do not read Chinese. */
const char   *_bb_pdf_chinese_of_locale  (void);

/* A Pango context for paper and images: no hinting, unrounded glyph
 * positions, @dpi (72 for PDF points), in @language if not NULL.
 * @font_map: NULL for the default one. */
PangoContext *_bb_pdf_context_new        (PangoFontMap  *font_map,
                                          PangoLanguage *language,
                                          double         dpi);

/* The logical width and height of @layout in points (0 for NULL). */
double        _bb_pdf_text_width         (PangoLayout   *layout);
double        _bb_pdf_text_height        (PangoLayout   *layout);

G_END_DECLS
