/* bb-chart-private.h — what the chart tests look at
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bb-chart.h"

G_BEGIN_DECLS

/* The language of the Pango context @text is laid out with ("zh-cn" for
 * Chinese in a non-Chinese locale) and the family of the font its first
 * character is drawn with. */
char  *_bb_chart_dup_text_language     (const BbChartStyle *style,
                                        const char         *text);
char  *_bb_chart_dup_text_font_family  (const BbChartStyle *style,
                                        const char         *text);
/* The value axis's tick labels as drawn, joined by "|". */
char  *_bb_chart_dup_tick_labels       (BbChart            *chart,
                                        const BbChartStyle *style,
                                        double              width,
                                        double              height);
/* The category labels drawn on the x axis, in order. Level labels: their
 * box. Turned labels (45°, reading up to the right, ending under their
 * category): x is where they end, y the top of the row of labels, width
 * and height the text's before turning. */
typedef struct
{
  guint       category;
  BbChartRect box;
} BbChartLabelBox;

GArray *_bb_chart_get_category_labels  (BbChart            *chart,
                                        const BbChartStyle *style,
                                        double              width,
                                        double              height,
                                        gboolean           *rotated);

G_END_DECLS
