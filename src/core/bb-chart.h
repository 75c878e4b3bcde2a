/* bb-chart.h — bar, stacked bar, line and donut charts on any cairo_t
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One renderer for the Reports page, PNG, SVG and PDF files and printing.
 * A BbChart says what to show (categories, series of values, how values
 * read); a BbChartStyle says how it looks (colours, font), so the widget
 * passes the libadwaita palette of the light or dark style and files get
 * bb_chart_style_init_default(). Everything is drawn inside the rectangle
 * (0, 0, width, height) of the cairo_t's user space.
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "bb-money.h"
#include "bb-reports.h"

G_BEGIN_DECLS

#define BB_CHART_ERROR (bb_chart_error_quark ())

typedef enum
{
  BB_CHART_ERROR_FAILED,    /* a file could not be written */
} BbChartError;

typedef enum
{
  BB_CHART_BAR,             /* bars side by side, one per series; negative values go down */
  BB_CHART_STACKED_BAR,     /* one bar per category, series stacked (negatives below zero) */
  BB_CHART_LINE,            /* one line per series; a single category is a point */
  BB_CHART_DONUT,           /* the first series, one slice per category; values ≤ 0 are left out */
} BbChartKind;

typedef enum
{
  BB_CHART_VALUE_MONEY,     /* BbMoney: minor units of the chart's currency */
  BB_CHART_VALUE_COUNT,     /* whole things: bills, customers */
  BB_CHART_VALUE_PERCENT,   /* basis points, as BbRate: 12.5 % = 1250 */
} BbChartValueFormat;

#define BB_CHART_PALETTE_SIZE 8

/* The same fields as GdkRGBA, in doubles. */
typedef struct
{
  double red;
  double green;
  double blue;
  double alpha;
} BbChartColor;

typedef struct
{
  BbChartColor  background;   /* painted behind everything; alpha 0 paints nothing */
  BbChartColor  foreground;   /* text */
  BbChartColor  grid;         /* the value axis's lines across the plot */
  BbChartColor  axis;         /* the zero line */
  BbChartColor  palette[BB_CHART_PALETTE_SIZE];
  guint         n_palette;    /* 1 to 8: series (or donut slice) i takes palette[i % n_palette] */
  const char   *font_family;  /* NULL: "Sans" */
  double        font_size;    /* in points, drawn at 96 dpi as GTK does (1 pt = 4/3
                               * units of the cairo_t); 0 for 10 */
  gboolean      show_title;   /* draw the chart's title at the top */
} BbChartStyle;

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} BbChartRect;

typedef struct _BbChart BbChart;

GQuark              bb_chart_error_quark          (void);
GType               bb_chart_get_type             (void) G_GNUC_CONST;
#define BB_TYPE_CHART (bb_chart_get_type ())

/* The look of files and of the CLI: libadwaita's light or dark colours. */
void                bb_chart_style_init_default   (BbChartStyle       *style,
                                                   gboolean            dark);

BbChart            *bb_chart_new                  (BbChartKind         kind,
                                                   BbChartValueFormat  format);
BbChart            *bb_chart_ref                  (BbChart            *chart);
void                bb_chart_unref                (BbChart            *chart);

BbChartKind         bb_chart_get_kind             (BbChart            *chart);
BbChartValueFormat  bb_chart_get_value_format     (BbChart            *chart);
void                bb_chart_set_title            (BbChart            *chart,
                                                   const char         *title);
const char         *bb_chart_get_title            (BbChart            *chart);
/* The currency of MONEY values; the default (CNY) until set. */
void                bb_chart_set_currency         (BbChart            *chart,
                                                   const BbCurrency   *currency);
const BbCurrency   *bb_chart_get_currency         (BbChart            *chart);

/* Categories are the x axis (or the donut's slices): "2026-03" is read as
 * a month in descriptions and tooltips. Every value starts at 0. */
guint               bb_chart_add_category         (BbChart            *chart,
                                                   const char         *label);
guint               bb_chart_add_series           (BbChart            *chart,
                                                   const char         *name);
void                bb_chart_set_value            (BbChart            *chart,
                                                   guint               series,
                                                   guint               category,
                                                   gint64              value);
gint64              bb_chart_get_value            (BbChart            *chart,
                                                   guint               series,
                                                   guint               category);
guint               bb_chart_get_n_categories     (BbChart            *chart);
guint               bb_chart_get_n_series         (BbChart            *chart);
const char         *bb_chart_get_category_label   (BbChart            *chart,
                                                   guint               category);
const char         *bb_chart_get_series_name      (BbChart            *chart,
                                                   guint               series);
/* No category, no series, or every value 0 (for a donut: nothing > 0):
 * drawn as "No data for this period". */
gboolean            bb_chart_is_empty             (BbChart            *chart);

/* Charts of the reports. Collections: a bar per month. Aging: what is
 * owed, by how long past due, as a donut of the five buckets' totals. */
BbChart            *bb_chart_new_collections      (GPtrArray          *rows,
                                                   const BbCurrency   *currency);
BbChart            *bb_chart_new_aging            (GPtrArray          *rows,
                                                   const BbCurrency   *currency);
/* Methods: a donut of the amounts. Top: a bar per customer. Classes: the
 * share of customers and of billed of each class, side by side. Liability:
 * a line of the month ends. On time: a bar per month of the share paid by
 * the due date. */
BbChart            *bb_chart_new_methods          (GPtrArray          *rows,
                                                   const BbCurrency   *currency);
BbChart            *bb_chart_new_top              (GPtrArray          *rows,
                                                   BbTopBy             by,
                                                   const BbCurrency   *currency);
BbChart            *bb_chart_new_classes          (GPtrArray          *rows,
                                                   const BbCurrency   *currency);
BbChart            *bb_chart_new_liability        (GPtrArray          *rows,
                                                   const BbCurrency   *currency);
BbChart            *bb_chart_new_on_time          (GPtrArray          *rows);

void                bb_chart_draw                 (BbChart            *chart,
                                                   const BbChartStyle *style,
                                                   cairo_t            *cr,
                                                   double              width,
                                                   double              height);
/* Where the data goes: the bars' and lines' area, the donut's square.
 * FALSE (and @area zeroed) for an empty chart. */
gboolean            bb_chart_get_plot_area        (BbChart            *chart,
                                                   const BbChartStyle *style,
                                                   double              width,
                                                   double              height,
                                                   BbChartRect        *area);
/* The values at the bottom and at the top of the plot area (bars, lines);
 * FALSE for a donut or an empty chart. */
gboolean            bb_chart_get_value_range      (BbChart            *chart,
                                                   const BbChartStyle *style,
                                                   double              width,
                                                   double              height,
                                                   double             *min,
                                                   double             *max);
/* For tooltips: the category whose column (or slice) is at (@x, @y), and
 * the series drawn there, or -1 for the column of a stacked bar above its
 * stack. FALSE, with both -1, outside the plot area or the donut's ring. */
gboolean            bb_chart_hit_test             (BbChart            *chart,
                                                   const BbChartStyle *style,
                                                   double              width,
                                                   double              height,
                                                   double              x,
                                                   double              y,
                                                   int                *series,
                                                   int                *category);

/* For screen readers: "Collections per month, January to June 2026:
 * highest ¥12,340.00 in March, lowest ¥1,200.00 in January." */
char               *bb_chart_describe             (BbChart            *chart);
/* A tooltip: "March 2026: ¥12,340.00", "Cash, March 2026: ¥500.00", or
 * for a donut "Cash: ¥500.00 (25.0%)". @series may be -1 on a stacked bar:
 * every series and the total. */
char               *bb_chart_describe_point       (BbChart            *chart,
                                                   int                 series,
                                                   guint               category);
/* A value in full: "¥12,340.00", "1,204", "12.5%". */
char               *bb_chart_format_value         (BbChart            *chart,
                                                   gint64              value);

/* Tick values from 1, 2 or 5 × 10^k: at most @max_ticks ticks at the
 * multiples of @step from floor (@min / @step) × @step to
 * ceil (@max / @step) × @step, @n_ticks of them. A range of one value is
 * widened to zero (or to [0, 1] for zero). FALSE for a NaN or infinity. */
gboolean            bb_chart_nice_ticks           (double              min,
                                                   double              max,
                                                   guint               max_ticks,
                                                   double             *step,
                                                   guint              *n_ticks);

/* Files: PNG in pixels, SVG and PDF in points. @style may be NULL for
 * bb_chart_style_init_default (…, FALSE) with the title shown. */
gboolean            bb_chart_write_png            (BbChart            *chart,
                                                   const BbChartStyle *style,
                                                   const char         *path,
                                                   int                 width,
                                                   int                 height,
                                                   GError            **error);
gboolean            bb_chart_write_svg            (BbChart            *chart,
                                                   const BbChartStyle *style,
                                                   const char         *path,
                                                   double              width,
                                                   double              height,
                                                   GError            **error);
gboolean            bb_chart_write_pdf            (BbChart            *chart,
                                                   const BbChartStyle *style,
                                                   const char         *path,
                                                   double              width,
                                                   double              height,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbChart, bb_chart_unref)

G_END_DECLS
