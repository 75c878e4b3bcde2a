/* test-chart.c — charts drawn on image surfaces, checked pixel by pixel
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BILLBOOK_CHART_SAMPLES=DIR keeps PNGs (and a few SVGs and PDFs) of
 * every kind of chart, in a light and a dark palette, in DIR to look at.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bb-chart.h"
#include "bb-chart-private.h"

#define SIN45 0.70710678118654752

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static const BbChartColor RED     = { 1, 0, 0, 1 };
static const BbChartColor GREEN   = { 0, 0.8, 0, 1 };
static const BbChartColor BLUE    = { 0, 0, 1, 1 };
static const BbChartColor MAGENTA = { 1, 0, 1, 1 };

/* Pure colours no text or grid can make, on white. */
static void
test_style (BbChartStyle *style)
{
  memset (style, 0, sizeof *style);
  style->background = (BbChartColor) { 1, 1, 1, 1 };
  style->foreground = (BbChartColor) { 0, 0, 0, 1 };
  style->grid = (BbChartColor) { 0.85, 0.85, 0.85, 1 };
  style->axis = (BbChartColor) { 0.5, 0.5, 0.5, 1 };
  style->palette[0] = RED;
  style->palette[1] = GREEN;
  style->palette[2] = BLUE;
  style->palette[3] = MAGENTA;
  style->n_palette = 4;
  style->font_family = "DejaVu Sans";
  style->font_size = 10;
  style->show_title = FALSE;
}

typedef struct
{
  cairo_surface_t *surface;
  int              width;
  int              height;
} Image;

static void
image_clear (Image *image)
{
  g_clear_pointer (&image->surface, cairo_surface_destroy);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Image, image_clear)

/* Draws @chart at @width × @height into a transparent surface @margin
 * larger on every side, through a translation. */
static void
image_draw (Image              *image,
            BbChart            *chart,
            const BbChartStyle *style,
            int                 width,
            int                 height,
            int                 margin)
{
  cairo_t *cr;

  image->width = width + 2 * margin;
  image->height = height + 2 * margin;
  image->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, image->width, image->height);
  cr = cairo_create (image->surface);
  cairo_translate (cr, margin, margin);
  bb_chart_draw (chart, style, cr, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (image->surface);
}

static guint32
pixel (const Image *image,
       int          x,
       int          y)
{
  const guchar *data = cairo_image_surface_get_data (image->surface);
  int stride = cairo_image_surface_get_stride (image->surface);

  g_assert_true (x >= 0 && x < image->width && y >= 0 && y < image->height);

  return *(const guint32 *) (data + y * stride + x * 4);
}

static gboolean
pixel_is (const Image        *image,
          int                 x,
          int                 y,
          const BbChartColor *color)
{
  guint32 p = pixel (image, x, y);
  int a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

  return a == 255 &&
         ABS (r - (int) lround (color->red * 255)) <= 10 &&
         ABS (g - (int) lround (color->green * 255)) <= 10 &&
         ABS (b - (int) lround (color->blue * 255)) <= 10;
}

static gboolean
pixel_is_any_series (const Image        *image,
                     int                 x,
                     int                 y,
                     const BbChartStyle *style)
{
  for (guint i = 0; i < style->n_palette; i++)
    if (pixel_is (image, x, y, &style->palette[i]))
      return TRUE;

  return FALSE;
}

/* Nothing outside the @margin-wide frame around the chart's rectangle. */
static void
assert_margin_untouched (const Image *image,
                         int          margin)
{
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      {
        gboolean inside = x >= margin && x < image->width - margin &&
                          y >= margin && y < image->height - margin;

        if (!inside && pixel (image, x, y) != 0)
          g_error ("pixel (%d, %d) outside the chart is 0x%08x", x, y, pixel (image, x, y));
      }
}

static double
value_y (const BbChartRect *plot,
         double             min,
         double             max,
         double             value)
{
  return plot->y + plot->height * (max - value) / (max - min);
}

static BbChart *
bar_chart (BbChartKind kind,
           const gint64 *values,
           guint         n)
{
  static const char *months[] = { "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
                                  "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12" };
  BbChart *chart = bb_chart_new (kind, BB_CHART_VALUE_MONEY);
  guint s = bb_chart_add_series (chart, "Collections");

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (months));
  for (guint c = 0; c < n; c++)
    bb_chart_set_value (chart, s, bb_chart_add_category (chart, months[c]), values[c]);

  return chart;
}

/* ------------------------------------------------------------------ */
/* Nice ticks                                                          */

static void
test_nice_ticks (void)
{
  static const struct
  {
    double min, max;
    guint  max_ticks;
    double step;
    guint  n;
  } cases[] = {
    { 0, 100, 6, 20, 6 },
    { 0, 40, 5, 10, 5 },
    { 0, 1, 5, 0.5, 3 },
    { 0, 1, 6, 0.2, 6 },
    { 0, 12340, 6, 5000, 4 },
    { 0, 12340, 8, 2000, 8 },
    { -35, 80, 6, 50, 4 },
    { -35, 80, 8, 20, 7 },
    { 80, -35, 8, 20, 7 },                  /* either order */
    { 0, 0, 5, 0.5, 3 },                    /* nothing: [0, 1] */
    { 5, 5, 5, 2, 4 },                      /* one value: from zero */
    { -7, -7, 5, 2, 5 },
    { 0, 999999, 6, 200000, 6 },
    { 1, 9, 5, 5, 3 },
    { 0.001, 0.009, 5, 0.005, 3 },
    { 100, 200, 3, 50, 3 },
    { 0, 100, 2, 100, 2 },
    { 0, 100, 1, 100, 2 },                  /* at least two ticks */
    { 0, 7, 10, 1, 8 },
    { -1e6, 1e6, 5, 5e5, 5 },
    { 0, 123400000, 6, 50000000, 4 },       /* ¥1,234,000.00 in fen */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double step = 0, lo = MIN (cases[i].min, cases[i].max), hi = MAX (cases[i].min, cases[i].max);
      guint n = 0;
      double first, last, mantissa;

      g_test_message ("nice ticks %g … %g, at most %u", cases[i].min, cases[i].max, cases[i].max_ticks);
      g_assert_true (bb_chart_nice_ticks (cases[i].min, cases[i].max, cases[i].max_ticks, &step, &n));
      g_assert_cmpfloat_with_epsilon (step, cases[i].step, cases[i].step * 1e-9);
      g_assert_cmpuint (n, ==, cases[i].n);
      g_assert_cmpuint (n, <=, MAX (cases[i].max_ticks, 2));

      /* 1, 2 or 5 × 10^k, and the ticks cover the range */
      mantissa = step / pow (10, floor (log10 (step) + 1e-9));
      g_assert_true (fabs (mantissa - 1) < 1e-6 || fabs (mantissa - 2) < 1e-6 || fabs (mantissa - 5) < 1e-6);
      first = floor (lo / step + 1e-9) * step;
      last = first + (n - 1) * step;
      if (lo != hi)
        {
          g_assert_cmpfloat (first, <=, lo + step * 1e-9);
          g_assert_cmpfloat (last, >=, hi - step * 1e-9);
        }
    }

  {
    double step;
    guint n;

    g_assert_false (bb_chart_nice_ticks (NAN, 1, 5, &step, &n));
    g_assert_false (bb_chart_nice_ticks (0, INFINITY, 5, &step, &n));
  }
}

/* ------------------------------------------------------------------ */
/* Bars                                                                */

static void
test_bar_pixels (void)
{
  static const gint64 values[] = { 1000, 2000, 0, 4000 };   /* ¥10, ¥20, ¥0, ¥40 */
  g_autoptr(BbChart) chart = bar_chart (BB_CHART_BAR, values, G_N_ELEMENTS (values));
  g_auto(Image) image = { 0 };
  BbChartStyle style;
  BbChartRect plot;
  double min, max, slot;
  const int W = 400, H = 300, M = 20;

  test_style (&style);
  image_draw (&image, chart, &style, W, H, M);
  assert_margin_untouched (&image, M);

  g_assert_true (bb_chart_get_plot_area (chart, &style, W, H, &plot));
  g_assert_true (bb_chart_get_value_range (chart, &style, W, H, &min, &max));
  g_assert_cmpfloat (min, ==, 0);
  g_assert_cmpfloat (max, >=, 4000);
  g_assert_cmpfloat (plot.x, >, 0);
  g_assert_cmpfloat (plot.y, >, 0);
  g_assert_cmpfloat (plot.x + plot.width, <=, W);
  g_assert_cmpfloat (plot.y + plot.height, <=, H);
  slot = plot.width / G_N_ELEMENTS (values);

  for (guint c = 0; c < G_N_ELEMENTS (values); c++)
    {
      int centre = (int) (plot.x + slot * (c + 0.5)) + M;
      double expected_top = value_y (&plot, min, max, (double) values[c]) + M;
      double expected_bottom = value_y (&plot, min, max, 0) + M;
      int top = -1, bottom = -1, left, right;

      for (int y = 0; y < image.height; y++)
        if (pixel_is (&image, centre, y, &RED))
          {
            if (top < 0)
              top = y;
            bottom = y;
          }

      if (values[c] == 0)
        {
          g_assert_cmpint (top, ==, -1);
          continue;
        }

      g_test_message ("bar %u: top %d, expected %.1f", c, top, expected_top);
      g_assert_cmpfloat (fabs (top - expected_top), <=, 1.0);
      g_assert_cmpfloat (fabs (bottom + 1 - expected_bottom), <=, 1.0);

      /* the bar lies inside its category's slot, centred */
      left = right = centre;
      while (pixel_is (&image, left - 1, (top + bottom) / 2, &RED))
        left--;
      while (pixel_is (&image, right + 1, (top + bottom) / 2, &RED))
        right++;
      g_assert_cmpfloat (left, >=, plot.x + slot * c + M);
      g_assert_cmpfloat (right, <=, plot.x + slot * (c + 1) + M);
      g_assert_cmpfloat (fabs ((left + right + 1) / 2.0 - (plot.x + slot * (c + 0.5) + M)), <=, 1.0);
      g_assert_cmpint (right - left, >=, 10);
    }

  /* no series colour outside the plot area */
  for (int y = 0; y < image.height; y++)
    for (int x = 0; x < image.width; x++)
      if (x < plot.x + M - 1 || x > plot.x + plot.width + M + 1 ||
          y < plot.y + M - 1 || y > plot.y + plot.height + M + 1)
        g_assert_false (pixel_is_any_series (&image, x, y, &style));
}

static void
test_bar_negative (void)
{
  static const gint64 values[] = { 3000, -1500, 500 };
  g_autoptr(BbChart) chart = bar_chart (BB_CHART_BAR, values, G_N_ELEMENTS (values));
  g_auto(Image) image = { 0 };
  BbChartStyle style;
  BbChartRect plot;
  double min, max, slot;
  int centre, top = -1, bottom = -1;

  test_style (&style);
  image_draw (&image, chart, &style, 360, 260, 0);
  g_assert_true (bb_chart_get_plot_area (chart, &style, 360, 260, &plot));
  g_assert_true (bb_chart_get_value_range (chart, &style, 360, 260, &min, &max));
  g_assert_cmpfloat (min, <=, -1500);
  g_assert_cmpfloat (max, >=, 3000);

  slot = plot.width / 3;
  centre = (int) (plot.x + slot * 1.5);
  for (int y = 0; y < image.height; y++)
    if (pixel_is (&image, centre, y, &RED))
      {
        if (top < 0)
          top = y;
        bottom = y;
      }
  /* a refund goes down from zero */
  g_assert_cmpfloat (fabs (top - value_y (&plot, min, max, 0)), <=, 1.0);
  g_assert_cmpfloat (fabs (bottom + 1 - value_y (&plot, min, max, -1500)), <=, 1.0);
}

static void
test_bar_grouped (void)
{
  g_autoptr(BbChart) chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_COUNT);
  g_auto(Image) image = { 0 };
  BbChartStyle style;
  BbChartRect plot;
  double min, max, slot;
  guint a, b;

  a = bb_chart_add_series (chart, "2025");
  b = bb_chart_add_series (chart, "2026");
  for (guint c = 0; c < 3; c++)
    {
      g_autofree char *label = g_strdup_printf ("Q%u", c + 1);
      guint category = bb_chart_add_category (chart, label);

      bb_chart_set_value (chart, a, category, 10 * (c + 1));
      bb_chart_set_value (chart, b, category, 15 * (c + 1));
    }

  test_style (&style);
  image_draw (&image, chart, &style, 400, 300, 0);
  g_assert_true (bb_chart_get_plot_area (chart, &style, 400, 300, &plot));
  g_assert_true (bb_chart_get_value_range (chart, &style, 400, 300, &min, &max));
  slot = plot.width / 3;

  for (guint c = 0; c < 3; c++)
    {
      double centre = plot.x + slot * (c + 0.5);
      int y = (int) value_y (&plot, min, max, 5);
      int series = -2, category = -2;

      /* the first series left of the slot's centre, the second right */
      g_assert_true (pixel_is (&image, (int) centre - 5, y, &RED));
      g_assert_true (pixel_is (&image, (int) centre + 5, y, &GREEN));
      g_assert_true (bb_chart_hit_test (chart, &style, 400, 300, centre - 5, y, &series, &category));
      g_assert_cmpint (series, ==, 0);
      g_assert_cmpint (category, ==, (int) c);
      g_assert_true (bb_chart_hit_test (chart, &style, 400, 300, centre + 5, y, &series, &category));
      g_assert_cmpint (series, ==, 1);
      g_assert_cmpint (category, ==, (int) c);
    }
}

static void
test_stacked (void)
{
  g_autoptr(BbChart) chart = bb_chart_new (BB_CHART_STACKED_BAR, BB_CHART_VALUE_MONEY);
  g_auto(Image) image = { 0 };
  BbChartStyle style;
  BbChartRect plot;
  double min, max, slot, x;
  guint s0, s1, c0, c1;
  int series, category;

  s0 = bb_chart_add_series (chart, "Cash");
  s1 = bb_chart_add_series (chart, "Card");
  c0 = bb_chart_add_category (chart, "2026-01");
  c1 = bb_chart_add_category (chart, "2026-02");
  bb_chart_set_value (chart, s0, c0, 1000);
  bb_chart_set_value (chart, s1, c0, 2000);
  bb_chart_set_value (chart, s0, c1, 3000);

  test_style (&style);
  image_draw (&image, chart, &style, 400, 300, 0);
  g_assert_true (bb_chart_get_plot_area (chart, &style, 400, 300, &plot));
  g_assert_true (bb_chart_get_value_range (chart, &style, 400, 300, &min, &max));
  g_assert_cmpfloat (max, >=, 3000);
  slot = plot.width / 2;

  /* January: cash from 0 to 1000, card on top of it to 3000 */
  x = plot.x + slot * 0.5;
  {
    int red_top = -1, red_bottom = -1, green_top = -1, green_bottom = -1;

    for (int y = 0; y < image.height; y++)
      {
        if (pixel_is (&image, (int) x, y, &RED))
          {
            if (red_top < 0)
              red_top = y;
            red_bottom = y;
          }
        if (pixel_is (&image, (int) x, y, &GREEN))
          {
            if (green_top < 0)
              green_top = y;
            green_bottom = y;
          }
      }
    g_assert_cmpfloat (fabs (red_bottom + 1 - value_y (&plot, min, max, 0)), <=, 1.0);
    g_assert_cmpfloat (fabs (red_top - value_y (&plot, min, max, 1000)), <=, 1.0);
    g_assert_cmpfloat (fabs (green_bottom + 1 - value_y (&plot, min, max, 1000)), <=, 1.0);
    g_assert_cmpfloat (fabs (green_top - value_y (&plot, min, max, 3000)), <=, 1.0);
  }

  /* hit test: each segment, and above the stack the whole column */
  g_assert_true (bb_chart_hit_test (chart, &style, 400, 300, x, value_y (&plot, min, max, 500), &series, &category));
  g_assert_cmpint (series, ==, 0);
  g_assert_cmpint (category, ==, 0);
  g_assert_true (bb_chart_hit_test (chart, &style, 400, 300, x, value_y (&plot, min, max, 2000), &series, &category));
  g_assert_cmpint (series, ==, 1);
  g_assert_cmpint (category, ==, 0);
  if (max > 3200)
    {
      g_assert_true (bb_chart_hit_test (chart, &style, 400, 300, x, value_y (&plot, min, max, 3200), &series, &category));
      g_assert_cmpint (series, ==, -1);
      g_assert_cmpint (category, ==, 0);
    }
  g_assert_true (bb_chart_hit_test (chart, &style, 400, 300, plot.x + slot * 1.5,
                                    value_y (&plot, min, max, 1500), &series, &category));
  g_assert_cmpint (series, ==, 0);
  g_assert_cmpint (category, ==, 1);

  /* a legend, so the card series' colour appears outside the plot too */
  g_assert_cmpuint (bb_chart_get_n_series (chart), ==, 2);
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */

static void
test_line (void)
{
  static const gint64 values[] = { 1000, 4000, 2000 };
  g_autoptr(BbChart) chart = bar_chart (BB_CHART_LINE, values, G_N_ELEMENTS (values));
  g_auto(Image) image = { 0 };
  BbChartStyle style;
  BbChartRect plot;
  double min, max, slot;

  test_style (&style);
  image_draw (&image, chart, &style, 400, 300, 0);
  g_assert_true (bb_chart_get_plot_area (chart, &style, 400, 300, &plot));
  g_assert_true (bb_chart_get_value_range (chart, &style, 400, 300, &min, &max));
  slot = plot.width / 3;

  for (guint c = 0; c < G_N_ELEMENTS (values); c++)
    {
      int x = (int) (plot.x + slot * (c + 0.5));
      int y = (int) value_y (&plot, min, max, (double) values[c]);
      int series, category;

      /* the point, and not far above or below it */
      g_assert_true (pixel_is (&image, x, y, &RED));
      g_assert_false (pixel_is (&image, x, y - 15, &RED));
      g_assert_false (pixel_is (&image, x, y + 15, &RED));

      g_assert_true (bb_chart_hit_test (chart, &style, 400, 300, x, y + 20, &series, &category));
      g_assert_cmpint (series, ==, 0);
      g_assert_cmpint (category, ==, (int) c);
    }

  /* the line between the first two points */
  {
    double x = plot.x + slot;
    double y = value_y (&plot, min, max, 2500);

    g_assert_true (pixel_is (&image, (int) round (x), (int) round (y), &RED) ||
                   pixel_is (&image, (int) round (x), (int) round (y) + 1, &RED) ||
                   pixel_is (&image, (int) round (x), (int) round (y) - 1, &RED));
  }
}

static void
test_line_single_point (void)
{
  static const gint64 values[] = { 2500 };
  g_autoptr(BbChart) chart = bar_chart (BB_CHART_LINE, values, 1);
  g_auto(Image) image = { 0 };
  BbChartStyle style;
  BbChartRect plot;
  double min, max;
  int x, y, count = 0;
  g_autofree char *description = NULL;

  test_style (&style);
  image_draw (&image, chart, &style, 300, 200, 10);
  assert_margin_untouched (&image, 10);
  g_assert_true (bb_chart_get_plot_area (chart, &style, 300, 200, &plot));
  g_assert_true (bb_chart_get_value_range (chart, &style, 300, 200, &min, &max));

  x = (int) (plot.x + plot.width / 2) + 10;
  y = (int) value_y (&plot, min, max, 2500) + 10;
  g_assert_true (pixel_is (&image, x, y, &RED));

  /* a dot, not a line */
  for (int yy = 0; yy < image.height; yy++)
    for (int xx = 0; xx < image.width; xx++)
      if (pixel_is (&image, xx, yy, &RED))
        {
          g_assert_cmpint (ABS (xx - x), <=, 8);
          g_assert_cmpint (ABS (yy - y), <=, 8);
          count++;
        }
  g_assert_cmpint (count, >, 10);

  description = bb_chart_describe (chart);
  g_assert_cmpstr (description, ==, "January 2026: ¥25.00.");
}

/* ------------------------------------------------------------------ */
/* Donut                                                               */

/* A point of the ring at @degrees clockwise from twelve o'clock. */
static void
ring_point (const BbChartRect *plot,
            double             degrees,
            double            *x,
            double            *y)
{
  double r = plot->width / 2 * 0.8, a = degrees * G_PI / 180;

  *x = plot->x + plot->width / 2 + r * sin (a);
  *y = plot->y + plot->height / 2 - r * cos (a);
}

static void
test_donut (void)
{
  static const struct { double degrees; guint slice; } samples[] = {
    { 5, 0 }, { 45, 0 }, { 85, 0 }, { 95, 1 }, { 135, 1 }, { 175, 1 },
    { 185, 2 }, { 270, 2 }, { 355, 2 },
  };
  g_autoptr(BbChart) chart = bb_chart_new (BB_CHART_DONUT, BB_CHART_VALUE_COUNT);
  g_auto(Image) image = { 0 };
  BbChartStyle style;
  BbChartRect plot;
  guint s;

  s = bb_chart_add_series (chart, "Payments");
  bb_chart_set_value (chart, s, bb_chart_add_category (chart, "Cash"), 25);
  bb_chart_set_value (chart, s, bb_chart_add_category (chart, "Card"), 25);
  bb_chart_set_value (chart, s, bb_chart_add_category (chart, "Alipay"), 50);
  bb_chart_add_category (chart, "Cheque");   /* 0: no slice */

  test_style (&style);
  for (guint size = 0; size < 2; size++)
    {
      int W = size == 0 ? 480 : 300, H = size == 0 ? 300 : 400;   /* legend beside, then below */

      image_clear (&image);
      image_draw (&image, chart, &style, W, H, 0);
      g_assert_true (bb_chart_get_plot_area (chart, &style, W, H, &plot));
      g_assert_cmpfloat (fabs (plot.width - plot.height), <, 0.01);
      g_assert_cmpfloat (plot.width, >, 100);

      for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
        {
          double x, y;
          int series, category;

          ring_point (&plot, samples[i].degrees, &x, &y);
          g_test_message ("%d×%d: %g° at (%.0f, %.0f)", W, H, samples[i].degrees, x, y);
          g_assert_true (pixel_is (&image, (int) x, (int) y, &style.palette[samples[i].slice]));
          g_assert_true (bb_chart_hit_test (chart, &style, W, H, x, y, &series, &category));
          g_assert_cmpint (series, ==, 0);
          g_assert_cmpint (category, ==, (int) samples[i].slice);
        }

      /* the hole and the outside are no slice */
      g_assert_false (pixel_is_any_series (&image, (int) (plot.x + plot.width / 2), (int) (plot.y + plot.height / 2), &style));
      g_assert_false (bb_chart_hit_test (chart, &style, W, H, plot.x + plot.width / 2, plot.y + plot.height / 2, NULL, NULL));
      g_assert_false (bb_chart_hit_test (chart, &style, W, H, plot.x + 2, plot.y + 2, NULL, NULL));
    }

  {
    g_autofree char *description = bb_chart_describe (chart);
    g_autofree char *tooltip = bb_chart_describe_point (chart, 0, 2);

    g_assert_cmpstr (description, ==, "Cash 25 (25.0%), Card 25 (25.0%), Alipay 50 (50.0%); total 100.");
    g_assert_cmpstr (tooltip, ==, "Alipay: 50 (50.0%)");
  }
  g_assert_false (bb_chart_get_value_range (chart, &style, 480, 300, NULL, NULL));
}

/* ------------------------------------------------------------------ */
/* Empty, small, crowded                                               */

static void
test_empty (void)
{
  static const gint64 zeros[] = { 0, 0, 0 };
  BbChartStyle style;

  test_style (&style);
  for (guint kind = BB_CHART_BAR; kind <= BB_CHART_DONUT; kind++)
    for (guint variant = 0; variant < 3; variant++)
      {
        g_autoptr(BbChart) chart = NULL;
        g_auto(Image) image = { 0 };
        BbChartRect plot;
        guint dark = 0;
        const int W = 400, H = 260, M = 12;

        if (variant == 0)          /* every value zero */
          chart = bar_chart (kind, zeros, G_N_ELEMENTS (zeros));
        else if (variant == 1)     /* no category */
          {
            chart = bb_chart_new (kind, BB_CHART_VALUE_MONEY);
            bb_chart_add_series (chart, "Collections");
          }
        else                       /* nothing at all */
          chart = bb_chart_new (kind, BB_CHART_VALUE_MONEY);
        if (kind == BB_CHART_DONUT && variant == 0)
          bb_chart_set_value (chart, 0, 1, -500);   /* a donut shows nothing ≤ 0 */

        g_assert_true (bb_chart_is_empty (chart));
        image_draw (&image, chart, &style, W, H, M);
        assert_margin_untouched (&image, M);

        /* no bar, line or slice */
        for (int y = 0; y < image.height; y++)
          for (int x = 0; x < image.width; x++)
            g_assert_false (pixel_is_any_series (&image, x, y, &style));

        /* the words, in the middle */
        for (int y = M + H / 2 - 20; y < M + H / 2 + 20; y++)
          for (int x = M + W / 4; x < M + 3 * W / 4; x++)
            if ((pixel (&image, x, y) & 0xff) < 128)
              dark++;
        g_assert_cmpuint (dark, >, 50);
        /* and nothing near the edges: no axes */
        for (int y = M; y < M + H; y++)
          for (int x = M; x < M + W; x++)
            if (y < M + H / 2 - 30 || y > M + H / 2 + 30)
              g_assert_cmphex (pixel (&image, x, y), ==, 0xffffffff);

        g_assert_false (bb_chart_get_plot_area (chart, &style, W, H, &plot));
        g_assert_cmpfloat (plot.width, ==, 0);
        g_assert_false (bb_chart_hit_test (chart, &style, W, H, W / 2.0, H / 2.0, NULL, NULL));
      }
}

static BbChart *
crowded_chart (BbChartKind kind)
{
  static const char *names[] = {
    "广州市天河区张记五金建材经营部", "Müller & Söhne Haushaltswaren GmbH", "李四", "王五便利店",
    "Very Long Customer Name Trading Company Limited", "赵六", "钱七文具店", "孙八",
    "周九", "吴十", "郑十一", "冯十二",
  };
  BbChart *chart = bb_chart_new (kind, BB_CHART_VALUE_MONEY);

  bb_chart_set_title (chart, "A title far too long to fit on one line of a small chart, which is cut with an ellipsis");
  for (guint s = 0; s < (kind == BB_CHART_DONUT ? 1 : 7); s++)
    {
      g_autofree char *name = g_strdup_printf ("Series with a long name number %u", s + 1);

      bb_chart_add_series (chart, name);
    }
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    {
      guint category = bb_chart_add_category (chart, names[c]);

      for (guint s = 0; s < bb_chart_get_n_series (chart); s++)
        bb_chart_set_value (chart, s, category, (gint64) ((c * 7919 + s * 104729) % 100000) * 1000000 - (s == 2 ? 4000000000 : 0));
    }

  return chart;
}

static void
test_clip (void)
{
  static const int sizes[][2] = { { 640, 400 }, { 320, 200 }, { 200, 120 }, { 90, 60 }, { 30, 20 } };
  BbChartStyle style;

  test_style (&style);
  style.show_title = TRUE;
  for (guint kind = BB_CHART_BAR; kind <= BB_CHART_DONUT; kind++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        g_autoptr(BbChart) chart = crowded_chart (kind);
        g_auto(Image) image = { 0 };

        g_test_message ("kind %u at %d×%d", kind, sizes[i][0], sizes[i][1]);
        image_draw (&image, chart, &style, sizes[i][0], sizes[i][1], 16);
        assert_margin_untouched (&image, 16);
      }
}

/* Category labels never overlap, however many and however long. */
static void
test_category_labels (void)
{
  BbChartStyle style;

  test_style (&style);
  for (guint which = 0; which < 3; which++)
    for (int width = 160; width <= 1200; width += 40)
      {
        g_autoptr(BbChart) chart = NULL;
        g_autoptr(GArray) labels = NULL;
        gboolean rotated;
        BbChartRect plot;

        if (which == 0)
          {
            chart = bb_chart_new (BB_CHART_LINE, BB_CHART_VALUE_MONEY);
            bb_chart_add_series (chart, "Collections");
            for (guint m = 0; m < 36; m++)
              {
                g_autofree char *month = g_strdup_printf ("%04u-%02u", 2024 + m / 12, m % 12 + 1);

                bb_chart_set_value (chart, 0, bb_chart_add_category (chart, month), 100000 + m * 5000);
              }
          }
        else
          chart = crowded_chart (which == 1 ? BB_CHART_BAR : BB_CHART_STACKED_BAR);

        labels = _bb_chart_get_category_labels (chart, &style, width, 360, &rotated);
        g_assert_true (bb_chart_get_plot_area (chart, &style, width, 360, &plot));
        g_assert_cmpuint (labels->len, >, 0);
        g_assert_cmpuint (g_array_index (labels, BbChartLabelBox, 0).category, ==, 0);

        for (guint i = 0; i < labels->len; i++)
          {
            const BbChartLabelBox *box = &g_array_index (labels, BbChartLabelBox, i);

            if (rotated)
              {
                /* turned: the end under its category, within the chart */
                double slot = plot.width / bb_chart_get_n_categories (chart);

                g_assert_cmpfloat (fabs (box->box.x - (plot.x + slot * (box->category + 0.5))), <, 0.01);
                g_assert_cmpfloat (box->box.x - SIN45 * box->box.width - SIN45 * box->box.height / 2, >=, 0);
                g_assert_cmpfloat (box->box.y + SIN45 * (box->box.width + box->box.height), <=, 360);
                if (i > 0)
                  {
                    const BbChartLabelBox *before = &g_array_index (labels, BbChartLabelBox, i - 1);

                    g_assert_cmpfloat ((box->box.x - before->box.x) * SIN45, >=, box->box.height);
                  }
              }
            else
              {
                g_assert_cmpfloat (box->box.x, >=, 0);
                g_assert_cmpfloat (box->box.x + box->box.width, <=, width);
                g_assert_cmpfloat (box->box.y + box->box.height, <=, 360);
                if (i > 0)
                  {
                    const BbChartLabelBox *before = &g_array_index (labels, BbChartLabelBox, i - 1);

                    g_assert_cmpfloat (before->box.x + before->box.width, <, box->box.x);
                  }
              }
          }

        /* months thin out evenly */
        if (which == 0 && !rotated && labels->len > 1)
          {
            guint every = g_array_index (labels, BbChartLabelBox, 1).category;

            for (guint i = 0; i < labels->len; i++)
              g_assert_cmpuint (g_array_index (labels, BbChartLabelBox, i).category, ==, i * every);
          }
      }

  /* a wide chart shows every month, level */
  {
    g_autoptr(BbChart) chart = bar_chart (BB_CHART_BAR, (const gint64[]) { 1, 2, 3, 4, 5, 6 }, 6);
    g_autoptr(GArray) labels = NULL;
    gboolean rotated;

    labels = _bb_chart_get_category_labels (chart, &style, 600, 300, &rotated);
    g_assert_cmpuint (labels->len, ==, 6);
    g_assert_false (rotated);
  }
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

static void
test_tick_labels (void)
{
  BbChartStyle style;

  test_style (&style);

  {
    static const gint64 values[] = { 1000, 2000, 0, 4000 };
    g_autoptr(BbChart) chart = bar_chart (BB_CHART_BAR, values, G_N_ELEMENTS (values));
    g_autofree char *ticks = _bb_chart_dup_tick_labels (chart, &style, 400, 300);

    /* whole yuan without decimals */
    g_assert_cmpstr (ticks, ==, "¥0|¥10|¥20|¥30|¥40");
  }
  {
    static const gint64 values[] = { 25, 50 };
    g_autoptr(BbChart) chart = bar_chart (BB_CHART_BAR, values, G_N_ELEMENTS (values));
    g_autofree char *ticks = _bb_chart_dup_tick_labels (chart, &style, 400, 300);

    /* fen where they matter */
    g_assert_cmpstr (ticks, ==, "¥0|¥0.10|¥0.20|¥0.30|¥0.40|¥0.50");
  }
  {
    static const gint64 values[] = { 123400000, 56700000 };   /* ¥1,234,000.00 */
    g_autoptr(BbChart) chart = bar_chart (BB_CHART_BAR, values, G_N_ELEMENTS (values));
    g_autofree char *wide = _bb_chart_dup_tick_labels (chart, &style, 800, 300);
    g_autofree char *narrow = _bb_chart_dup_tick_labels (chart, &style, 260, 300);

    /* full while there is room, ¥1.2M only when needed — and exact */
    g_assert_cmpstr (wide, ==, "¥0|¥500,000|¥1,000,000|¥1,500,000");
    g_assert_cmpstr (narrow, ==, "¥0|¥0.5M|¥1M|¥1.5M");
  }
  {
    static const gint64 values[] = { -150000, 320000 };
    g_autoptr(BbChart) chart = bar_chart (BB_CHART_BAR, values, G_N_ELEMENTS (values));
    g_autofree char *ticks = _bb_chart_dup_tick_labels (chart, &style, 400, 300);

    g_assert_cmpstr (ticks, ==, "-¥2,000|-¥1,000|¥0|¥1,000|¥2,000|¥3,000|¥4,000");
  }
  {
    g_autoptr(BbChart) chart = bb_chart_new (BB_CHART_LINE, BB_CHART_VALUE_PERCENT);
    g_autofree char *ticks = NULL;

    bb_chart_add_series (chart, "Paid on time");
    bb_chart_set_value (chart, 0, bb_chart_add_category (chart, "2026-01"), 8750);
    bb_chart_set_value (chart, 0, bb_chart_add_category (chart, "2026-02"), 9125);
    ticks = _bb_chart_dup_tick_labels (chart, &style, 400, 300);
    g_assert_cmpstr (ticks, ==, "0%|20%|40%|60%|80%|100%");
  }
  {
    g_autoptr(BbChart) chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_COUNT);
    g_autofree char *ticks = NULL;

    bb_chart_add_series (chart, "Bills");
    bb_chart_set_value (chart, 0, bb_chart_add_category (chart, "2026-01"), 3);
    ticks = _bb_chart_dup_tick_labels (chart, &style, 400, 300);
    /* whole bills only */
    g_assert_cmpstr (ticks, ==, "0|1|2|3");
  }
}

static void
test_describe (void)
{
  static const gint64 values[] = { 120000, 560000, 1234000, 880000, 300000, 450000 };
  g_autoptr(BbChart) chart = bar_chart (BB_CHART_BAR, values, G_N_ELEMENTS (values));
  g_autofree char *text = NULL;
  g_autofree char *point = NULL;

  bb_chart_set_title (chart, "Collections per month");
  text = bb_chart_describe (chart);
  g_assert_cmpstr (text, ==, "Collections per month, January to June 2026: total ¥35,440.00, "
                             "highest ¥12,340.00 in March, lowest ¥1,200.00 in January.");
  point = bb_chart_describe_point (chart, 0, 2);
  g_assert_cmpstr (point, ==, "March 2026: ¥12,340.00");

  /* across a year's end, months keep their years */
  {
    g_autoptr(BbChart) other = bb_chart_new (BB_CHART_LINE, BB_CHART_VALUE_COUNT);
    g_autofree char *description = NULL;

    bb_chart_add_series (other, "Bills");
    bb_chart_set_value (other, 0, bb_chart_add_category (other, "2025-12"), 4);
    bb_chart_set_value (other, 0, bb_chart_add_category (other, "2026-01"), 9);
    description = bb_chart_describe (other);
    g_assert_cmpstr (description, ==, "December 2025 to January 2026: total 13, "
                                      "highest 9 in January 2026, lowest 4 in December 2025.");
  }

  /* series by name; stacked totals */
  {
    g_autoptr(BbChart) other = bb_chart_new (BB_CHART_STACKED_BAR, BB_CHART_VALUE_MONEY);
    g_autofree char *description = NULL;
    g_autofree char *column = NULL;

    bb_chart_set_title (other, "Payments");
    bb_chart_add_series (other, "Cash");
    bb_chart_add_series (other, "Card");
    bb_chart_add_category (other, "Mon");
    bb_chart_add_category (other, "Tue");
    bb_chart_set_value (other, 0, 0, 500);
    bb_chart_set_value (other, 1, 0, 700);
    bb_chart_set_value (other, 0, 1, 900);
    bb_chart_set_value (other, 1, 1, 100);
    description = bb_chart_describe (other);
    g_assert_cmpstr (description, ==, "Payments, Mon to Tue: "
                                      "Cash: total ¥14.00, highest ¥9.00 in Tue, lowest ¥5.00 in Mon; "
                                      "Card: total ¥8.00, highest ¥7.00 in Mon, lowest ¥1.00 in Tue; "
                                      "highest total ¥12.00 in Mon.");
    column = bb_chart_describe_point (other, -1, 0);
    g_assert_cmpstr (column, ==, "Mon\nCash: ¥5.00\nCard: ¥7.00\nTotal: ¥12.00");
    g_clear_pointer (&column, g_free);
    column = bb_chart_describe_point (other, 1, 1);
    g_assert_cmpstr (column, ==, "Card, Tue: ¥1.00");
  }

  /* nothing to say */
  {
    g_autoptr(BbChart) empty = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_MONEY);
    g_autofree char *description = NULL;

    description = bb_chart_describe (empty);
    g_assert_cmpstr (description, ==, "No data for this period.");
    g_clear_pointer (&description, g_free);
    bb_chart_set_title (empty, "Collections per month");
    description = bb_chart_describe (empty);
    g_assert_cmpstr (description, ==, "Collections per month: no data for this period.");
  }

  /* another currency */
  {
    g_autoptr(BbChart) usd = bar_chart (BB_CHART_BAR, values, 2);
    g_autofree char *description = NULL;

    bb_chart_set_currency (usd, bb_currency_lookup ("USD"));
    description = bb_chart_describe (usd);
    g_assert_nonnull (strstr (description, "$5,600.00"));
  }
}

static void
test_chinese (void)
{
  BbChartStyle style;
  g_autofree char *language = NULL;
  g_autofree char *latin = NULL;
  g_autofree char *family = NULL;

  test_style (&style);
  language = _bb_chart_dup_text_language (&style, "微信支付");
  g_assert_cmpstr (language, ==, "zh-cn");
  latin = _bb_chart_dup_text_language (&style, "Cash");
  g_assert_cmpstr (latin, !=, "zh-cn");

  family = _bb_chart_dup_text_font_family (&style, "微信支付");
  g_test_message ("微信支付 in %s", family);
  if (family != NULL && strstr (family, "CJK") != NULL)
    g_assert_nonnull (strstr (family, "SC"));
}

static gboolean
memory_contains (const char *haystack,
                 gsize       length,
                 const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

/* Chinese in a PDF goes as outlines, not through cairo 1.16's CFF
 * subsetter, which empties parts of some glyphs (如 loses its 口, or
 * vanishes). */
static void
test_chinese_pdf (void)
{
  static const char *names[] = { "如意五金", "好如初", "如家便利店" };
  g_autoptr(BbChart) chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_COUNT);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billbook-chart-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "如意.pdf", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  bb_chart_set_title (chart, "如意");
  bb_chart_add_series (chart, "Bills");
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    bb_chart_set_value (chart, 0, bb_chart_add_category (chart, names[c]), c + 1);

  g_assert_true (bb_chart_write_pdf (chart, NULL, pdf, 400, 300, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_false (memory_contains (contents, length, "NotoSansCJK"));
  g_assert_true (memory_contains (contents, length, "/Type3"));

  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_reports (void)
{
  g_autoptr(GPtrArray) months = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_collections_row_free);
  g_autoptr(GPtrArray) aging = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_aging_row_free);
  g_autoptr(BbChart) collections = NULL;
  g_autoptr(BbChart) owed = NULL;

  for (guint m = 1; m <= 3; m++)
    {
      BbCollectionsRow *row = g_new0 (BbCollectionsRow, 1);

      row->month = g_strdup_printf ("2026-%02u", m);
      row->amount = m * 10000;
      g_ptr_array_add (months, row);
    }
  for (guint i = 0; i < 2; i++)
    {
      BbAgingRow *row = g_new0 (BbAgingRow, 1);

      row->customer_code = g_strdup_printf ("C%u", i);
      row->name = g_strdup ("张三");
      row->current = 100;
      row->d1_30 = 200;
      row->d90_plus = 300 * (i + 1);
      row->total = row->current + row->d1_30 + row->d90_plus;
      g_ptr_array_add (aging, row);
    }

  collections = bb_chart_new_collections (months, bb_currency_lookup ("CNY"));
  g_assert_cmpint (bb_chart_get_kind (collections), ==, BB_CHART_BAR);
  g_assert_cmpuint (bb_chart_get_n_categories (collections), ==, 3);
  g_assert_cmpstr (bb_chart_get_category_label (collections, 2), ==, "2026-03");
  g_assert_cmpint (bb_chart_get_value (collections, 0, 2), ==, 30000);

  owed = bb_chart_new_aging (aging, NULL);
  g_assert_cmpint (bb_chart_get_kind (owed), ==, BB_CHART_DONUT);
  g_assert_cmpuint (bb_chart_get_n_categories (owed), ==, 5);
  g_assert_cmpint (bb_chart_get_value (owed, 0, 0), ==, 200);
  g_assert_cmpint (bb_chart_get_value (owed, 0, 1), ==, 400);
  g_assert_cmpint (bb_chart_get_value (owed, 0, 2), ==, 0);
  g_assert_cmpint (bb_chart_get_value (owed, 0, 4), ==, 900);
}

/* ------------------------------------------------------------------ */
/* Files and samples                                                   */

static gboolean
file_starts_with (const char *path,
                  const char *magic,
                  gsize       length)
{
  g_autofree char *contents = NULL;
  gsize size = 0;

  if (!g_file_get_contents (path, &contents, &size, NULL))
    return FALSE;

  return size > length && memcmp (contents, magic, length) == 0;
}

static void
test_files (void)
{
  static const gint64 values[] = { 1000, 2000, 0, 4000 };
  g_autoptr(BbChart) chart = bar_chart (BB_CHART_BAR, values, G_N_ELEMENTS (values));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billbook-chart-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "chart.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "chart.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "chart.pdf", NULL);
  cairo_surface_t *surface;

  bb_chart_set_title (chart, "Collections per month");
  g_assert_true (bb_chart_write_png (chart, NULL, png, 320, 200, &error));
  g_assert_no_error (error);
  g_assert_true (bb_chart_write_svg (chart, NULL, svg, 320, 200, &error));
  g_assert_no_error (error);
  g_assert_true (bb_chart_write_pdf (chart, NULL, pdf, 320, 200, &error));
  g_assert_no_error (error);

  g_assert_true (file_starts_with (png, "\x89PNG", 4));
  g_assert_true (file_starts_with (svg, "<?xml", 5));
  g_assert_true (file_starts_with (pdf, "%PDF", 4));

  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 320);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 200);
  cairo_surface_destroy (surface);

  g_assert_false (bb_chart_write_png (chart, NULL, "/nonexistent/billbook/chart.png", 320, 200, &error));
  g_assert_error (error, BB_CHART_ERROR, BB_CHART_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
add_months (BbChart *chart,
            guint    first_year,
            guint    first_month,
            guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      guint m = first_month - 1 + i;
      g_autofree char *label = g_strdup_printf ("%04u-%02u", first_year + m / 12, m % 12 + 1);

      bb_chart_add_category (chart, label);
    }
}

/* Every kind, the awkward cases too. */
static GPtrArray *
sample_charts (void)
{
  GPtrArray *charts = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_chart_unref);
  BbChart *chart;

  /* collections: a year of months */
  {
    static const gint64 amounts[] = { 842000, 913050, 1234000, 1105500, 987600, 1320000,
                                      1489900, 1402000, 1150000, 998000, 1290000, 1678800 };

    chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_MONEY);
    bb_chart_set_title (chart, "Collections per month");
    bb_chart_add_series (chart, "Collections");
    add_months (chart, 2025, 7, 12);
    for (guint c = 0; c < 12; c++)
      bb_chart_set_value (chart, 0, c, amounts[c]);
    g_ptr_array_add (charts, chart);
  }

  /* refunds: negative months */
  {
    static const gint64 net[] = { 350000, -120000, 80000, 420000, -45000, 260000 };

    chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_MONEY);
    bb_chart_set_title (chart, "Prepaid balance change per month");
    bb_chart_add_series (chart, "Change");
    add_months (chart, 2026, 1, 6);
    for (guint c = 0; c < 6; c++)
      bb_chart_set_value (chart, 0, c, net[c]);
    g_ptr_array_add (charts, chart);
  }

  /* grouped: this year and last */
  {
    chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_MONEY);
    bb_chart_set_title (chart, "Collections, 2026 and 2025");
    bb_chart_add_series (chart, "2026");
    bb_chart_add_series (chart, "2025");
    for (guint c = 0; c < 6; c++)
      {
        static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun" };

        bb_chart_add_category (chart, months[c]);
        bb_chart_set_value (chart, 0, c, 900000 + c * 123400);
        bb_chart_set_value (chart, 1, c, 800000 + (c % 3) * 150000);
      }
    g_ptr_array_add (charts, chart);
  }

  /* stacked: aging by customer, Chinese names */
  {
    static const char *customers[] = { "张三五金店", "李四", "王记餐饮", "Müller GmbH", "赵六文具", "孙八" };
    static const char *buckets[] = { "Not yet due", "1–30 days", "31–60 days", "61–90 days", "Over 90 days" };

    chart = bb_chart_new (BB_CHART_STACKED_BAR, BB_CHART_VALUE_MONEY);
    bb_chart_set_title (chart, "Owed by customer, by days past due");
    for (guint s = 0; s < G_N_ELEMENTS (buckets); s++)
      bb_chart_add_series (chart, buckets[s]);
    for (guint c = 0; c < G_N_ELEMENTS (customers); c++)
      {
        bb_chart_add_category (chart, customers[c]);
        for (guint s = 0; s < G_N_ELEMENTS (buckets); s++)
          bb_chart_set_value (chart, s, c, (gint64) (((c + 1) * (s + 3) * 7919) % 50000) * 10);
      }
    g_ptr_array_add (charts, chart);
  }

  /* lines: two years of months, two series */
  {
    chart = bb_chart_new (BB_CHART_LINE, BB_CHART_VALUE_MONEY);
    bb_chart_set_title (chart, "Collections and bills per month");
    bb_chart_add_series (chart, "Collected");
    bb_chart_add_series (chart, "Billed");
    add_months (chart, 2024, 7, 24);
    for (guint c = 0; c < 24; c++)
      {
        bb_chart_set_value (chart, 0, c, 800000 + (gint64) (300000 * sin (c / 3.0)) + c * 20000);
        bb_chart_set_value (chart, 1, c, 900000 + (gint64) (250000 * cos (c / 4.0)) + c * 18000);
      }
    g_ptr_array_add (charts, chart);
  }

  /* a line of one point */
  {
    chart = bb_chart_new (BB_CHART_LINE, BB_CHART_VALUE_MONEY);
    bb_chart_set_title (chart, "Collections per month");
    bb_chart_add_series (chart, "Collections");
    bb_chart_set_value (chart, 0, bb_chart_add_category (chart, "2026-06"), 1234000);
    g_ptr_array_add (charts, chart);
  }

  /* percent */
  {
    static const gint64 rates[] = { 8750, 9125, 8800, 9400, 9650, 9300 };

    chart = bb_chart_new (BB_CHART_LINE, BB_CHART_VALUE_PERCENT);
    bb_chart_set_title (chart, "Bills paid on time");
    bb_chart_add_series (chart, "On time");
    add_months (chart, 2026, 1, 6);
    for (guint c = 0; c < 6; c++)
      bb_chart_set_value (chart, 0, c, rates[c]);
    g_ptr_array_add (charts, chart);
  }

  /* donut: how customers pay */
  {
    static const char *methods[] = { "现金", "微信支付", "支付宝", "Card", "Bank transfer", "Prepaid balance" };
    static const gint64 amounts[] = { 2345000, 4567800, 3890000, 1200000, 650000, 98000 };

    chart = bb_chart_new (BB_CHART_DONUT, BB_CHART_VALUE_MONEY);
    bb_chart_set_title (chart, "Collections by payment method");
    bb_chart_add_series (chart, "Collections");
    for (guint c = 0; c < G_N_ELEMENTS (methods); c++)
      bb_chart_set_value (chart, 0, bb_chart_add_category (chart, methods[c]), amounts[c]);
    g_ptr_array_add (charts, chart);
  }

  /* count bars with long Chinese labels: turned */
  {
    static const char *names[] = { "广州天河张记五金建材", "北京朝阳李四便利店", "上海浦东王记餐饮", "深圳南山赵六文具店",
                                   "杭州西湖孙八茶叶", "成都武侯周九火锅", "武汉江汉吴十药房", "南京鼓楼郑十一书店",
                                   "西安雁塔冯十二面馆", "重庆渝中陈十三小面" };

    chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_COUNT);
    bb_chart_set_title (chart, "Bills per customer");
    bb_chart_add_series (chart, "Bills");
    for (guint c = 0; c < G_N_ELEMENTS (names); c++)
      bb_chart_set_value (chart, 0, bb_chart_add_category (chart, names[c]), 3 + (c * 37) % 41);
    g_ptr_array_add (charts, chart);
  }

  /* empty */
  {
    chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_MONEY);
    bb_chart_set_title (chart, "Collections per month");
    bb_chart_add_series (chart, "Collections");
    add_months (chart, 2026, 1, 6);
    g_ptr_array_add (charts, chart);
  }

  return charts;
}

static const char *sample_names[] = {
  "bar-collections", "bar-refunds", "bar-grouped", "stacked-aging", "line-two-years",
  "line-single-point", "line-percent", "donut-methods", "bar-chinese-names", "empty",
};

static void
test_samples (void)
{
  g_autoptr(GPtrArray) charts = sample_charts ();
  const char *keep = g_getenv ("BILLBOOK_CHART_SAMPLES");
  g_autofree char *dir = NULL;
  static const struct { const char *name; int width, height; } sizes[] = {
    { "", 640, 400 }, { "-small", 320, 220 },
  };

  g_assert_cmpuint (charts->len, ==, G_N_ELEMENTS (sample_names));

  if (keep != NULL && keep[0] != '\0')
    {
      dir = g_strdup (keep);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
    }
  else
    dir = g_dir_make_tmp ("billbook-chart-samples-XXXXXX", NULL);

  for (guint i = 0; i < charts->len; i++)
    for (guint dark = 0; dark < 2; dark++)
      for (guint size = 0; size < G_N_ELEMENTS (sizes); size++)
        {
          BbChart *chart = g_ptr_array_index (charts, i);
          g_autoptr(GError) error = NULL;
          g_autofree char *base = g_strdup_printf ("%s-%s%s", sample_names[i], dark ? "dark" : "light", sizes[size].name);
          g_autofree char *png = g_strconcat (base, ".png", NULL);
          g_autofree char *path = g_build_filename (dir, png, NULL);
          BbChartStyle style;

          bb_chart_style_init_default (&style, dark);
          g_assert_true (bb_chart_write_png (chart, &style, path, sizes[size].width, sizes[size].height, &error));
          g_assert_no_error (error);
          g_assert_true (file_starts_with (path, "\x89PNG", 4));

          /* and as vectors, in the light style */
          if (!dark && size == 0)
            {
              g_autofree char *svg_path = g_strdup_printf ("%s/%s.svg", dir, base);
              g_autofree char *pdf_path = g_strdup_printf ("%s/%s.pdf", dir, base);

              g_assert_true (bb_chart_write_svg (chart, &style, svg_path, 640, 400, &error));
              g_assert_no_error (error);
              g_assert_true (bb_chart_write_pdf (chart, &style, pdf_path, 640, 400, &error));
              g_assert_no_error (error);
              if (keep == NULL || keep[0] == '\0')
                {
                  g_unlink (svg_path);
                  g_unlink (pdf_path);
                }
            }

          if (keep == NULL || keep[0] == '\0')
            g_unlink (path);
        }

  if (keep == NULL || keep[0] == '\0')
    g_rmdir (dir);
  else
    g_test_message ("samples in %s", dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/nice-ticks", test_nice_ticks);
  g_test_add_func ("/chart/bar/pixels", test_bar_pixels);
  g_test_add_func ("/chart/bar/negative", test_bar_negative);
  g_test_add_func ("/chart/bar/grouped", test_bar_grouped);
  g_test_add_func ("/chart/stacked", test_stacked);
  g_test_add_func ("/chart/line/points", test_line);
  g_test_add_func ("/chart/line/single-point", test_line_single_point);
  g_test_add_func ("/chart/donut", test_donut);
  g_test_add_func ("/chart/empty", test_empty);
  g_test_add_func ("/chart/clip", test_clip);
  g_test_add_func ("/chart/category-labels", test_category_labels);
  g_test_add_func ("/chart/tick-labels", test_tick_labels);
  g_test_add_func ("/chart/describe", test_describe);
  g_test_add_func ("/chart/chinese", test_chinese);
  g_test_add_func ("/chart/chinese-pdf", test_chinese_pdf);
  g_test_add_func ("/chart/reports", test_reports);
  g_test_add_func ("/chart/files", test_files);
  g_test_add_func ("/chart/samples", test_samples);

  return g_test_run ();
}
