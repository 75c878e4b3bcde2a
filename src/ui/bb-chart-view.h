/* bb-chart-view.h — a chart of core's renderer, on screen
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bb-chart.h"

G_BEGIN_DECLS

#define BB_TYPE_CHART_VIEW (bb_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (BbChartView, bb_chart_view, BB, CHART_VIEW, GtkWidget)

GtkWidget *bb_chart_view_new          (void);
void       bb_chart_view_set_chart    (BbChartView *self,
                                       BbChart     *chart);
BbChart   *bb_chart_view_get_chart    (BbChartView *self);
/* The look the view draws with now: for files that match the screen. */
void       bb_chart_view_get_style    (BbChartView  *self,
                                       BbChartStyle *style);
/* The category keyboard focus is on, or -1. */
int        bb_chart_view_get_focused_category (BbChartView *self);

G_END_DECLS
