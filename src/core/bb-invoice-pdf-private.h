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

/* The face of every paper Billbook prints, and the height of a line of
 * Chinese text as a multiple of its size. */
#define BB_PDF_FONT_FAMILY  "Noto Sans, DejaVu Sans, Sans"
#define BB_PDF_CJK_LINE     1.45

/* A layout of @text in BB_PDF_FONT_FAMILY at @size points, bold or not;
 * @cjk: @context is a Chinese one, and every line is BB_PDF_CJK_LINE
 * high. @width > 0: wrapped to it; < 0: one line, ellipsized at −@width;
 * 0: as long as it is. */
PangoLayout  *_bb_pdf_layout_new         (PangoContext  *context,
                                          gboolean       cjk,
                                          const char    *text,
                                          double         size,
                                          gboolean       bold,
                                          double         width);

/* The logical width and height of @layout in points (0 for NULL). */
double        _bb_pdf_text_width         (PangoLayout   *layout);
double        _bb_pdf_text_height        (PangoLayout   *layout);

G_END_DECLS
