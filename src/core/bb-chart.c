/* bb-chart.c — bar, stacked bar, line and donut charts on any cairo_t
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A chart is laid out for a size (title, legend, value axis with nice
 * ticks, category labels turned or thinned out so they never overlap,
 * the plot area), then drawn; hit testing and the plot area come from
 * the same layout, so what the pointer finds is what was drawn. Text is
 * PangoLayout in our own contexts at 96 dpi: Chinese text gets a context
 * whose language is Chinese (zh-cn unless the locale says zh-tw or
 * zh-hk), so fontconfig picks the Simplified Chinese face, as on bills.
 *
 * Values are integers (minor units, counts, basis points); doubles are
 * used only for geometry.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "bb-chart.h"
#include "bb-chart-private.h"
#include "bb-invoice-pdf-private.h"

#define DEFAULT_FONT_FAMILY "Sans"
#define DEFAULT_FONT_SIZE   10.0
#define DPI                 96.0
#define SIN45               0.70710678118654752

G_DEFINE_QUARK (bb-chart-error-quark, bb_chart_error)

typedef struct
{
  char   *name;
  GArray *values;           /* gint64, one per category */
} Series;

struct _BbChart
{
  gatomicrefcount     ref_count;
  BbChartKind         kind;
  BbChartValueFormat  format;
  char               *title;
  const BbCurrency   *currency;
  GPtrArray          *categories;     /* char * */
  GPtrArray          *series;         /* Series * */
};

G_DEFINE_BOXED_TYPE (BbChart, bb_chart, bb_chart_ref, bb_chart_unref)

static void
series_free (Series *series)
{
  g_free (series->name);
  g_array_unref (series->values);
  g_free (series);
}

/* ------------------------------------------------------------------ */
/* The description                                                     */

/**
 * bb_chart_new:
 * @kind: bars, stacked bars, lines or a donut
 * @format: how the values read
 *
 * Returns: (transfer full): a chart with no categories and no series
 */
BbChart *
bb_chart_new (BbChartKind        kind,
              BbChartValueFormat format)
{
  BbChart *self;

  g_return_val_if_fail (kind <= BB_CHART_DONUT, NULL);
  g_return_val_if_fail (format <= BB_CHART_VALUE_PERCENT, NULL);

  self = g_new0 (BbChart, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->format = format;
  self->currency = bb_currency_get_default ();
  self->categories = g_ptr_array_new_with_free_func (g_free);
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);

  return self;
}

BbChart *
bb_chart_ref (BbChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);

  g_atomic_ref_count_inc (&chart->ref_count);

  return chart;
}

void
bb_chart_unref (BbChart *chart)
{
  g_return_if_fail (chart != NULL);

  if (!g_atomic_ref_count_dec (&chart->ref_count))
    return;

  g_free (chart->title);
  g_ptr_array_unref (chart->categories);
  g_ptr_array_unref (chart->series);
  g_free (chart);
}

BbChartKind
bb_chart_get_kind (BbChart *chart)
{
  g_return_val_if_fail (chart != NULL, BB_CHART_BAR);

  return chart->kind;
}

BbChartValueFormat
bb_chart_get_value_format (BbChart *chart)
{
  g_return_val_if_fail (chart != NULL, BB_CHART_VALUE_MONEY);

  return chart->format;
}

void
bb_chart_set_title (BbChart    *chart,
                    const char *title)
{
  g_return_if_fail (chart != NULL);

  g_free (chart->title);
  chart->title = title != NULL && title[0] != '\0' ? g_strdup (title) : NULL;
}

const char *
bb_chart_get_title (BbChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);

  return chart->title;
}

/**
 * bb_chart_set_currency:
 * @currency: (nullable): the currency of the values; %NULL for the default
 */
void
bb_chart_set_currency (BbChart          *chart,
                       const BbCurrency *currency)
{
  g_return_if_fail (chart != NULL);

  chart->currency = currency != NULL ? currency : bb_currency_get_default ();
}

const BbCurrency *
bb_chart_get_currency (BbChart *chart)
{
  g_return_val_if_fail (chart != NULL, NULL);

  return chart->currency;
}

/**
 * bb_chart_add_category:
 * @label: what the x axis (or the donut's legend) says
 *
 * Returns: the new category's index
 */
guint
bb_chart_add_category (BbChart    *chart,
                       const char *label)
{
  g_return_val_if_fail (chart != NULL, 0);

  g_ptr_array_add (chart->categories, g_strdup (label != NULL ? label : ""));
  for (guint s = 0; s < chart->series->len; s++)
    {
      Series *series = g_ptr_array_index (chart->series, s);
      gint64 zero = 0;

      g_array_append_val (series->values, zero);
    }

  return chart->categories->len - 1;
}

/**
 * bb_chart_add_series:
 * @name: what the legend says
 *
 * Returns: the new series' index
 */
guint
bb_chart_add_series (BbChart    *chart,
                     const char *name)
{
  Series *series;

  g_return_val_if_fail (chart != NULL, 0);

  series = g_new0 (Series, 1);
  series->name = g_strdup (name != NULL ? name : "");
  series->values = g_array_sized_new (FALSE, TRUE, sizeof (gint64), chart->categories->len);
  g_array_set_size (series->values, chart->categories->len);
  g_ptr_array_add (chart->series, series);

  return chart->series->len - 1;
}

void
bb_chart_set_value (BbChart *chart,
                    guint    series,
                    guint    category,
                    gint64   value)
{
  Series *s;

  g_return_if_fail (chart != NULL);
  g_return_if_fail (series < chart->series->len);
  g_return_if_fail (category < chart->categories->len);

  s = g_ptr_array_index (chart->series, series);
  g_array_index (s->values, gint64, category) = value;
}

static inline gint64
value_at (const BbChart *chart,
          guint          series,
          guint          category)
{
  const Series *s = g_ptr_array_index (chart->series, series);

  return g_array_index (s->values, gint64, category);
}

gint64
bb_chart_get_value (BbChart *chart,
                    guint    series,
                    guint    category)
{
  g_return_val_if_fail (chart != NULL, 0);
  g_return_val_if_fail (series < chart->series->len, 0);
  g_return_val_if_fail (category < chart->categories->len, 0);

  return value_at (chart, series, category);
}

guint
bb_chart_get_n_categories (BbChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);

  return chart->categories->len;
}

guint
bb_chart_get_n_series (BbChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);

  return chart->series->len;
}

const char *
bb_chart_get_category_label (BbChart *chart,
                             guint    category)
{
  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (category < chart->categories->len, NULL);

  return g_ptr_array_index (chart->categories, category);
}

const char *
bb_chart_get_series_name (BbChart *chart,
                          guint    series)
{
  const Series *s;

  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (series < chart->series->len, NULL);

  s = g_ptr_array_index (chart->series, series);

  return s->name;
}

gboolean
bb_chart_is_empty (BbChart *chart)
{
  g_return_val_if_fail (chart != NULL, TRUE);

  if (chart->categories->len == 0 || chart->series->len == 0)
    return TRUE;

  if (chart->kind == BB_CHART_DONUT)
    {
      for (guint c = 0; c < chart->categories->len; c++)
        if (value_at (chart, 0, c) > 0)
          return FALSE;
      return TRUE;
    }

  for (guint s = 0; s < chart->series->len; s++)
    for (guint c = 0; c < chart->categories->len; c++)
      if (value_at (chart, s, c) != 0)
        return FALSE;

  return TRUE;
}

static gint64
add_saturating (gint64 a,
                gint64 b)
{
  gint64 sum;

  if (__builtin_add_overflow (a, b, &sum))
    return b > 0 ? G_MAXINT64 : G_MININT64;

  return sum;
}

/* ------------------------------------------------------------------ */
/* Charts of the reports                                               */

/**
 * bb_chart_new_collections:
 * @rows: (element-type BbCollectionsRow): bb_reports_collections()
 * @currency: (nullable): the business currency
 *
 * Returns: (transfer full): a bar chart of the money received each month
 */
BbChart *
bb_chart_new_collections (GPtrArray        *rows,
                          const BbCurrency *currency)
{
  BbChart *chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_MONEY);
  guint series;

  g_return_val_if_fail (rows != NULL, chart);

  bb_chart_set_title (chart, _("Collections per month"));
  bb_chart_set_currency (chart, currency);
  series = bb_chart_add_series (chart, _("Collections"));
  for (guint i = 0; i < rows->len; i++)
    {
      const BbCollectionsRow *row = g_ptr_array_index (rows, i);
      guint category = bb_chart_add_category (chart, row->month);

      bb_chart_set_value (chart, series, category, row->amount);
    }

  return chart;
}

/**
 * bb_chart_new_aging:
 * @rows: (element-type BbAgingRow): bb_reports_aging()
 * @currency: (nullable): the business currency
 *
 * Returns: (transfer full): a donut of what customers owe, by how long it
 *   is past due
 */
BbChart *
bb_chart_new_aging (GPtrArray        *rows,
                    const BbCurrency *currency)
{
  static const char *buckets[] = {
    N_("Not yet due"), N_("1–30 days"), N_("31–60 days"), N_("61–90 days"), N_("Over 90 days"),
  };
  BbChart *chart = bb_chart_new (BB_CHART_DONUT, BB_CHART_VALUE_MONEY);
  gint64 totals[G_N_ELEMENTS (buckets)] = { 0 };
  guint series;

  g_return_val_if_fail (rows != NULL, chart);

  bb_chart_set_title (chart, _("Owed, by days past due"));
  bb_chart_set_currency (chart, currency);
  series = bb_chart_add_series (chart, _("Owed"));
  for (guint i = 0; i < rows->len; i++)
    {
      const BbAgingRow *row = g_ptr_array_index (rows, i);

      totals[0] = add_saturating (totals[0], row->current);
      totals[1] = add_saturating (totals[1], row->d1_30);
      totals[2] = add_saturating (totals[2], row->d31_60);
      totals[3] = add_saturating (totals[3], row->d61_90);
      totals[4] = add_saturating (totals[4], row->d90_plus);
    }
  for (guint b = 0; b < G_N_ELEMENTS (buckets); b++)
    bb_chart_set_value (chart, series, bb_chart_add_category (chart, _(buckets[b])), totals[b]);

  return chart;
}

/**
 * bb_chart_new_methods:
 * @rows: (element-type BbMethodRow): bb_reports_methods()
 * @currency: (nullable): the business currency
 *
 * Returns: (transfer full): a donut of the payments by method
 */
BbChart *
bb_chart_new_methods (GPtrArray        *rows,
                      const BbCurrency *currency)
{
  BbChart *chart = bb_chart_new (BB_CHART_DONUT, BB_CHART_VALUE_MONEY);
  guint series;

  g_return_val_if_fail (rows != NULL, chart);

  bb_chart_set_title (chart, _("Payments by method"));
  bb_chart_set_currency (chart, currency);
  series = bb_chart_add_series (chart, _("Received"));
  for (guint i = 0; i < rows->len; i++)
    {
      const BbMethodRow *row = g_ptr_array_index (rows, i);
      guint category = bb_chart_add_category (chart, row->label);

      bb_chart_set_value (chart, series, category, row->amount);
    }

  return chart;
}

static const char *
top_title (BbTopBy by)
{
  switch (by)
    {
    case BB_TOP_BY_BILLED:
      return _("Top customers by billed");
    case BB_TOP_BY_OWED:
      return _("Top customers by owed");
    case BB_TOP_BY_PAID:
    default:
      return _("Top customers by paid");
    }
}

static const char *
top_series (BbTopBy by)
{
  switch (by)
    {
    case BB_TOP_BY_BILLED:
      return _("Billed");
    case BB_TOP_BY_OWED:
      return _("Owed");
    case BB_TOP_BY_PAID:
    default:
      return _("Paid");
    }
}

/**
 * bb_chart_new_top:
 * @rows: (element-type BbTopRow): bb_reports_top()
 * @by: what they are ranked by
 * @currency: (nullable): the business currency
 *
 * Returns: (transfer full): a bar per customer, the largest first
 */
BbChart *
bb_chart_new_top (GPtrArray        *rows,
                  BbTopBy           by,
                  const BbCurrency *currency)
{
  BbChart *chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_MONEY);
  guint series;

  g_return_val_if_fail (rows != NULL, chart);

  bb_chart_set_title (chart, top_title (by));
  bb_chart_set_currency (chart, currency);
  series = bb_chart_add_series (chart, top_series (by));
  for (guint i = 0; i < rows->len; i++)
    {
      const BbTopRow *row = g_ptr_array_index (rows, i);
      guint category = bb_chart_add_category (chart, row->name);

      bb_chart_set_value (chart, series, category, row->amount);
    }

  return chart;
}

/**
 * bb_chart_new_classes:
 * @rows: (element-type BbClassRow): bb_reports_classes()
 * @currency: (nullable): the business currency
 *
 * Returns: (transfer full): for each class, its share of the customers
 *   beside its share of what was billed
 */
BbChart *
bb_chart_new_classes (GPtrArray        *rows,
                      const BbCurrency *currency)
{
  BbChart *chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_PERCENT);
  guint customers, billed;

  g_return_val_if_fail (rows != NULL, chart);

  bb_chart_set_title (chart, _("A/B/C classes: share of customers and of billed"));
  bb_chart_set_currency (chart, currency);
  customers = bb_chart_add_series (chart, _("Share of customers"));
  billed = bb_chart_add_series (chart, _("Share of billed"));
  for (guint i = 0; i < rows->len; i++)
    {
      const BbClassRow *row = g_ptr_array_index (rows, i);
      /* TRANSLATORS: a customer class, "Class A" */
      g_autofree char *label = g_strdup_printf (_("Class %c"), row->klass);
      guint category = bb_chart_add_category (chart, label);

      bb_chart_set_value (chart, customers, category, row->customers_share);
      bb_chart_set_value (chart, billed, category, row->billed_share);
    }

  return chart;
}

/**
 * bb_chart_new_liability:
 * @rows: (element-type BbLiabilityRow): bb_reports_liability()
 * @currency: (nullable): the business currency
 *
 * Returns: (transfer full): a line of what the prepaid cards held at each
 *   month end
 */
BbChart *
bb_chart_new_liability (GPtrArray        *rows,
                        const BbCurrency *currency)
{
  BbChart *chart = bb_chart_new (BB_CHART_LINE, BB_CHART_VALUE_MONEY);
  guint series;

  g_return_val_if_fail (rows != NULL, chart);

  bb_chart_set_title (chart, _("Prepaid liability at month end"));
  bb_chart_set_currency (chart, currency);
  series = bb_chart_add_series (chart, _("Prepaid liability"));
  for (guint i = 0; i < rows->len; i++)
    {
      const BbLiabilityRow *row = g_ptr_array_index (rows, i);
      guint category = bb_chart_add_category (chart, row->month);

      bb_chart_set_value (chart, series, category, row->balance);
    }

  return chart;
}

/**
 * bb_chart_new_on_time:
 * @rows: (element-type BbOnTimeRow): bb_reports_on_time()
 *
 * Returns: (transfer full): a bar per month: the share of the bills that
 *   fell due paid in full by their due date
 */
BbChart *
bb_chart_new_on_time (GPtrArray *rows)
{
  BbChart *chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_PERCENT);
  guint series;

  g_return_val_if_fail (rows != NULL, chart);

  bb_chart_set_title (chart, _("Bills paid on time, by month due"));
  series = bb_chart_add_series (chart, _("Paid on time"));
  for (guint i = 0; i < rows->len; i++)
    {
      const BbOnTimeRow *row = g_ptr_array_index (rows, i);
      guint category = bb_chart_add_category (chart, row->month);

      bb_chart_set_value (chart, series, category, row->rate);
    }

  return chart;
}

/* ------------------------------------------------------------------ */
/* Styles                                                              */

static BbChartColor
rgb_hex (guint32 rgb)
{
  return (BbChartColor) { ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, 1.0 };
}

/**
 * bb_chart_style_init_default:
 * @dark: the dark style's colours
 *
 * Fills @style with libadwaita's window colours and a palette from the
 * GNOME palette that reads on them (darker hues on light, lighter on
 * dark), the title shown.
 */
void
bb_chart_style_init_default (BbChartStyle *style,
                             gboolean      dark)
{
  /* blue, orange, green, purple, red, yellow, brown, slate */
  static const guint32 light[BB_CHART_PALETTE_SIZE] = {
    0x3584e4, 0xe66100, 0x26a269, 0x9141ac, 0xc01c28, 0xe5a50a, 0x865e3c, 0x5e5c64,
  };
  static const guint32 darks[BB_CHART_PALETTE_SIZE] = {
    0x62a0ea, 0xffa348, 0x57e389, 0xc061cb, 0xf66151, 0xf8e45c, 0xcdab8f, 0xc0bfbc,
  };

  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  if (dark)
    {
      style->background = rgb_hex (0x242424);
      style->foreground = rgb_hex (0xffffff);
      style->grid = (BbChartColor) { 1, 1, 1, 0.12 };
      style->axis = (BbChartColor) { 1, 1, 1, 0.55 };
    }
  else
    {
      style->background = rgb_hex (0xfafafa);
      style->foreground = (BbChartColor) { 0, 0, 0, 0.8 };
      style->grid = (BbChartColor) { 0, 0, 0, 0.1 };
      style->axis = (BbChartColor) { 0, 0, 0, 0.5 };
    }
  for (guint i = 0; i < BB_CHART_PALETTE_SIZE; i++)
    style->palette[i] = rgb_hex (dark ? darks[i] : light[i]);
  style->n_palette = BB_CHART_PALETTE_SIZE;
  style->font_family = DEFAULT_FONT_FAMILY;
  style->font_size = DEFAULT_FONT_SIZE;
  style->show_title = TRUE;
}

static const BbChartColor *
palette_color (const BbChartStyle *style,
               guint               index)
{
  guint n = CLAMP (style->n_palette, 1, BB_CHART_PALETTE_SIZE);

  return &style->palette[index % n];
}

static void
set_color (cairo_t            *cr,
           const BbChartColor *color,
           double              opacity)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * opacity);
}

/* ------------------------------------------------------------------ */
/* Nice ticks                                                          */

gboolean
bb_chart_nice_ticks (double  min,
                     double  max,
                     guint   max_ticks,
                     double *step,
                     guint  *n_ticks)
{
  static const double multiples[] = { 1, 2, 5 };
  double raw, magnitude;

  g_return_val_if_fail (step != NULL && n_ticks != NULL, FALSE);

  if (!isfinite (min) || !isfinite (max))
    return FALSE;

  if (min > max)
    {
      double swap = min;

      min = max;
      max = swap;
    }
  if (min == max)
    {
      if (min > 0)
        min = 0;
      else if (max < 0)
        max = 0;
      else
        max = 1;
    }
  max_ticks = MAX (max_ticks, 2);

  raw = (max - min) / (max_ticks - 1);
  magnitude = pow (10.0, floor (log10 (raw)));

  for (guint i = 0; i < 3 * 8; i++)
    {
      double s = multiples[i % 3] * magnitude * pow (10.0, i / 3);
      double first = floor (min / s + 1e-9);
      double last = ceil (max / s - 1e-9);
      double n = last - first + 1;

      if (n <= max_ticks)
        {
          *step = s;
          *n_ticks = (guint) n;
          return TRUE;
        }
    }

  g_return_val_if_reached (FALSE);
}

/* ------------------------------------------------------------------ */
/* Values as text                                                      */

/* "1,234" with the locale's grouping, as bb_money_format() groups. */
static char *
format_integer (gint64 value)
{
  static const BbCurrency none = { "", "", 0 };

  return bb_money_format (value, &none);
}

static char *
format_percent (gint64 basis_points)
{
  g_autofree char *number = bb_rate_format ((BbRate) CLAMP (ABS (basis_points), 0, G_MAXINT32));

  if (basis_points < 0)
    {
      g_autofree char *negative = g_strconcat ("-", number, NULL);

      /* TRANSLATORS: a percentage: "12.5%" */
      return g_strdup_printf (_("%s%%"), negative);
    }

  return g_strdup_printf (_("%s%%"), number);
}

/* A share of a whole, to one decimal: "25.0%". */
static char *
format_share (double percent)
{
  g_autofree char *number = g_strdup_printf ("%.1f", percent);

  return g_strdup_printf (_("%s%%"), number);
}

char *
bb_chart_format_value (BbChart *chart,
                       gint64   value)
{
  g_return_val_if_fail (chart != NULL, NULL);

  switch (chart->format)
    {
    case BB_CHART_VALUE_MONEY:
      return bb_money_format (value, chart->currency);
    case BB_CHART_VALUE_COUNT:
      return format_integer (value);
    case BB_CHART_VALUE_PERCENT:
    default:
      return format_percent (value);
    }
}

static gint64
power_of_ten (guint n)
{
  gint64 p = 1;

  while (n-- > 0)
    p *= 10;

  return p;
}

/* "¥12,000" for whole amounts, the full "¥0.50" otherwise. */
static char *
format_money_tick (gint64            value,
                   const BbCurrency *currency)
{
  gint64 scale = power_of_ten (currency->digits);

  if (value % scale == 0)
    {
      BbCurrency whole = *currency;

      whole.digits = 0;
      return bb_money_format (value / scale, &whole);
    }

  return bb_money_format (value, currency);
}

/* Compact tick labels, "¥12k", "¥1.5M", exact for every tick; NULL when
 * the ticks are too small or too fine for that. */
static GPtrArray *
format_compact_ticks (const gint64     *ticks,
                      guint             n,
                      const BbCurrency *currency)
{
  /* TRANSLATORS: short for thousand, million, billion after a number on
   * a chart's axis: ¥12k, ¥1.5M, ¥2B */
  const char *suffixes[] = { C_("chart axis", "k"), C_("chart axis", "M"), C_("chart axis", "B") };
  const char *symbol = currency != NULL && currency->symbol != NULL ? currency->symbol : "";
  gint64 scale = currency != NULL ? power_of_ten (currency->digits) : 1;
  gint64 largest = 0, unit = 0;
  guint suffix = 0, decimals;
  gboolean space = FALSE;
  GPtrArray *labels;

  for (guint i = 0; i < n; i++)
    largest = MAX (largest, ABS (ticks[i]) / scale);

  if (largest >= 1000000000)
    unit = 1000000000, suffix = 2;
  else if (largest >= 1000000)
    unit = 1000000, suffix = 1;
  else if (largest >= 1000)
    unit = 1000, suffix = 0;
  else
    return NULL;

  /* as few decimals as keep every tick exact */
  for (decimals = 0; decimals <= 3; decimals++)
    {
      gint64 quantum = unit * scale / power_of_ten (decimals);
      gboolean exact = quantum > 0;

      for (guint i = 0; exact && i < n; i++)
        exact = ticks[i] % quantum == 0;
      if (exact)
        break;
    }
  if (decimals > 3)
    return NULL;

  if (symbol[0] != '\0')
    {
      const char *last = g_utf8_prev_char (symbol + strlen (symbol));

      space = g_unichar_isalpha (g_utf8_get_char (last));
    }

  labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      double number = (double) ABS (ticks[i]) / (double) (unit * scale);
      g_autofree char *digits = NULL;
      guint own = 0;

      /* each as short as it is exact: ¥0, ¥0.5M, ¥1M */
      while (own < decimals && ticks[i] % (unit * scale / power_of_ten (own)) != 0)
        own++;
      if (ticks[i] == 0)
        {
          g_ptr_array_add (labels, g_strdup_printf ("%s%s0", symbol, space ? "\u00A0" : ""));
          continue;
        }
      digits = g_strdup_printf ("%.*f", (int) own, number);

      g_ptr_array_add (labels, g_strdup_printf ("%s%s%s%s%s", ticks[i] < 0 ? "-" : "",
                                                symbol, space ? "\u00A0" : "",
                                                digits, suffixes[suffix]));
    }

  return labels;
}

/* ------------------------------------------------------------------ */
/* Months                                                              */

static gboolean
parse_month (const char *label,
             int        *year,
             int        *month)
{
  if (strlen (label) != 7 || label[4] != '-')
    return FALSE;
  for (guint i = 0; i < 7; i++)
    if (i != 4 && !g_ascii_isdigit (label[i]))
      return FALSE;

  *year = atoi (label);
  *month = atoi (label + 5);

  return *year >= 1 && *month >= 1 && *month <= 12;
}

static gboolean
all_months (const BbChart *chart,
            gboolean      *one_year)
{
  int first_year = 0;

  *one_year = TRUE;
  for (guint c = 0; c < chart->categories->len; c++)
    {
      int year, month;

      if (!parse_month (g_ptr_array_index (chart->categories, c), &year, &month))
        return FALSE;
      if (c == 0)
        first_year = year;
      else if (year != first_year)
        *one_year = FALSE;
    }

  return chart->categories->len > 0;
}

/* "March 2026" (or "March") for "2026-03"; other labels as they are. */
static char *
category_name (const BbChart *chart,
               guint          category,
               gboolean       with_year)
{
  const char *label = g_ptr_array_index (chart->categories, category);
  g_autoptr(GDateTime) date = NULL;
  int year, month;

  if (!parse_month (label, &year, &month))
    return g_strdup (label);

  date = g_date_time_new_utc (year, month, 1, 0, 0, 0);
  if (date == NULL)
    return g_strdup (label);

  return g_date_time_format (date, with_year
                             /* TRANSLATORS: a month and its year, in g_date_time_format()'s
                              * notation: "March 2026"; in Chinese "%Y年%-m月" */
                             ? C_("chart month", "%B %Y")
                             /* TRANSLATORS: a month without its year: "March"; in Chinese "%-m月" */
                             : C_("chart month", "%B"));
}

/* ------------------------------------------------------------------ */
/* Descriptions                                                        */

static char *
describe_range (const BbChart *chart)
{
  guint n = chart->categories->len;
  gboolean one_year;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (n == 1)
    return category_name (chart, 0, TRUE);

  if (all_months (chart, &one_year) && one_year)
    first = category_name (chart, 0, FALSE);
  else
    first = category_name (chart, 0, TRUE);
  last = category_name (chart, n - 1, TRUE);

  /* TRANSLATORS: the first and last category of a chart: "January to June 2026" */
  return g_strdup_printf (_("%s to %s"), first, last);
}

static void
describe_series (const BbChart *chart,
                 guint          series,
                 gboolean       short_months,
                 GString       *out)
{
  guint n = chart->categories->len;
  guint high = 0, low = 0;
  gint64 total = 0;
  g_autofree char *high_value = NULL;
  g_autofree char *low_value = NULL;
  g_autofree char *high_name = NULL;
  g_autofree char *low_name = NULL;

  for (guint c = 0; c < n; c++)
    {
      gint64 v = value_at (chart, series, c);

      if (v > value_at (chart, series, high))
        high = c;
      if (v < value_at (chart, series, low))
        low = c;
      total = add_saturating (total, v);
    }

  high_value = bb_chart_format_value ((BbChart *) chart, value_at (chart, series, high));

  if (n == 1)
    {
      g_string_append (out, high_value);
      return;
    }

  if (chart->format != BB_CHART_VALUE_PERCENT)
    {
      g_autofree char *total_text = bb_chart_format_value ((BbChart *) chart, total);

      /* TRANSLATORS: the sum of a chart's values */
      g_string_append_printf (out, _("total %s"), total_text);
      g_string_append (out, C_("chart description", ", "));
    }

  if (value_at (chart, series, high) == value_at (chart, series, low))
    {
      /* TRANSLATORS: every value of a chart is the same: "¥100.00 in each" */
      g_string_append_printf (out, _("%s in each"), high_value);
      return;
    }

  low_value = bb_chart_format_value ((BbChart *) chart, value_at (chart, series, low));
  high_name = category_name (chart, high, !short_months);
  low_name = category_name (chart, low, !short_months);
  /* TRANSLATORS: "highest ¥12,340.00 in March, lowest ¥1,200.00 in January" */
  g_string_append_printf (out, _("highest %s in %s, lowest %s in %s"),
                          high_value, high_name, low_value, low_name);
}

/**
 * bb_chart_describe:
 *
 * Returns: (transfer full): what the chart shows, in one or a few
 *   sentences, for a screen reader
 */
char *
bb_chart_describe (BbChart *chart)
{
  GString *out;
  gboolean one_year = FALSE, short_months;
  g_autofree char *range = NULL;

  g_return_val_if_fail (chart != NULL, NULL);

  out = g_string_new (NULL);

  if (bb_chart_is_empty (chart))
    {
      if (chart->title != NULL)
        /* TRANSLATORS: a chart's title, then that it has nothing to show */
        g_string_append_printf (out, _("%s: no data for this period."), chart->title);
      else
        g_string_append (out, _("No data for this period."));

      return g_string_free (out, FALSE);
    }

  if (chart->kind == BB_CHART_DONUT)
    {
      gint64 total = 0;
      g_autofree char *total_text = NULL;

      for (guint c = 0; c < chart->categories->len; c++)
        total = add_saturating (total, MAX (value_at (chart, 0, c), 0));

      if (chart->title != NULL)
        g_string_append_printf (out, "%s: ", chart->title);
      for (guint c = 0, shown = 0; c < chart->categories->len; c++)
        {
          gint64 v = value_at (chart, 0, c);
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;
          g_autofree char *share = NULL;

          if (v <= 0)
            continue;
          name = category_name (chart, c, TRUE);
          value = bb_chart_format_value (chart, v);
          share = format_share (100.0 * (double) v / (double) total);
          if (shown++ > 0)
            g_string_append (out, C_("chart description", ", "));
          /* TRANSLATORS: one slice of a donut chart: "Cash ¥500.00 (25.0%)" */
          g_string_append_printf (out, _("%s %s (%s)"), name, value, share);
        }
      if (chart->format != BB_CHART_VALUE_PERCENT)
        {
          total_text = bb_chart_format_value (chart, total);
          g_string_append (out, C_("chart description", "; "));
          g_string_append_printf (out, _("total %s"), total_text);
        }
      g_string_append (out, C_("chart description", "."));

      return g_string_free (out, FALSE);
    }

  range = describe_range (chart);
  short_months = all_months (chart, &one_year) && one_year;
  if (chart->title != NULL)
    /* TRANSLATORS: a chart's title and the categories it spans:
     * "Collections per month, January to June 2026" */
    g_string_append_printf (out, _("%s, %s"), chart->title, range);
  else
    g_string_append (out, range);
  g_string_append (out, C_("chart description", ": "));

  if (chart->series->len == 1)
    describe_series (chart, 0, short_months, out);
  else
    for (guint s = 0; s < chart->series->len; s++)
      {
        const Series *series = g_ptr_array_index (chart->series, s);

        if (s > 0)
          g_string_append (out, C_("chart description", "; "));
        g_string_append_printf (out, "%s%s", series->name, C_("chart description", ": "));
        describe_series (chart, s, short_months, out);
      }

  if (chart->kind == BB_CHART_STACKED_BAR && chart->series->len > 1 && chart->categories->len > 1)
    {
      guint high = 0;
      gint64 high_total = G_MININT64;
      g_autofree char *value = NULL;
      g_autofree char *name = NULL;

      for (guint c = 0; c < chart->categories->len; c++)
        {
          gint64 sum = 0;

          for (guint s = 0; s < chart->series->len; s++)
            sum = add_saturating (sum, value_at (chart, s, c));
          if (sum > high_total)
            high_total = sum, high = c;
        }
      value = bb_chart_format_value (chart, high_total);
      name = category_name (chart, high, !short_months);
      g_string_append (out, C_("chart description", "; "));
      /* TRANSLATORS: of a stacked bar chart: "highest total ¥5,000.00 in March" */
      g_string_append_printf (out, _("highest total %s in %s"), value, name);
    }
  g_string_append (out, C_("chart description", "."));

  return g_string_free (out, FALSE);
}

/**
 * bb_chart_describe_point:
 * @series: a series, or -1 for every series of a category
 * @category: a category
 *
 * Returns: (transfer full): a tooltip's text for what bb_chart_hit_test()
 *   found
 */
char *
bb_chart_describe_point (BbChart *chart,
                         int      series,
                         guint    category)
{
  g_autofree char *name = NULL;
  GString *out;

  g_return_val_if_fail (chart != NULL, NULL);
  g_return_val_if_fail (category < chart->categories->len, NULL);
  g_return_val_if_fail (series < (int) chart->series->len, NULL);

  name = category_name (chart, category, TRUE);
  out = g_string_new (NULL);

  if (chart->kind == BB_CHART_DONUT)
    {
      gint64 total = 0, v = value_at (chart, 0, category);
      g_autofree char *value = bb_chart_format_value (chart, v);

      for (guint c = 0; c < chart->categories->len; c++)
        total = add_saturating (total, MAX (value_at (chart, 0, c), 0));
      if (total > 0 && v > 0)
        {
          g_autofree char *share = format_share (100.0 * (double) v / (double) total);

          /* TRANSLATORS: a donut slice's tooltip: "Cash: ¥500.00 (25.0%)" */
          g_string_append_printf (out, _("%s: %s (%s)"), name, value, share);
        }
      else
        g_string_append_printf (out, _("%s: %s"), name, value);
    }
  else if (series < 0)
    {
      gint64 total = 0;
      g_autofree char *total_text = NULL;

      g_string_append (out, name);
      for (guint s = 0; s < chart->series->len; s++)
        {
          const Series *ss = g_ptr_array_index (chart->series, s);
          g_autofree char *value = bb_chart_format_value (chart, value_at (chart, s, category));

          g_string_append_c (out, '\n');
          g_string_append_printf (out, _("%s: %s"), ss->name, value);
          total = add_saturating (total, value_at (chart, s, category));
        }
      if (chart->kind == BB_CHART_STACKED_BAR && chart->format != BB_CHART_VALUE_PERCENT)
        {
          total_text = bb_chart_format_value (chart, total);
          g_string_append_c (out, '\n');
          g_string_append_printf (out, _("Total: %s"), total_text);
        }
    }
  else
    {
      const Series *ss = g_ptr_array_index (chart->series, series);
      g_autofree char *value = bb_chart_format_value (chart, value_at (chart, series, category));

      if (chart->series->len > 1)
        /* TRANSLATORS: a tooltip: series, category: value — "Cash, March 2026: ¥500.00" */
        g_string_append_printf (out, _("%s, %s: %s"), ss->name, name, value);
      else
        /* TRANSLATORS: a tooltip: "March 2026: ¥12,340.00" */
        g_string_append_printf (out, _("%s: %s"), name, value);
    }

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

/* ------------------------------------------------------------------ */
/* Layout                                                              */

typedef enum
{
  FONT_NORMAL,
  FONT_SMALL,
  FONT_TITLE,
  FONT_BIG,
  N_FONTS
} Font;

typedef struct
{
  PangoLayout *name;
  PangoLayout *value;       /* the donut's share, or NULL */
  int          color;       /* palette index; -1 for "+3 more" */
  double       x, y;        /* the row's top left */
  double       value_x;
} LegendItem;

typedef struct
{
  BbChart            *chart;
  const BbChartStyle *style;
  double              width;
  double              height;

  PangoContext       *context;
  PangoContext       *context_cjk;
  PangoFontDescription *fonts[N_FONTS];
  double              em;           /* the font's size, in units */
  double              lh;           /* a line's height */
  double              pad;

  PangoLayout        *title;
  double              content_top;

  gboolean            empty;
  PangoLayout        *empty_text;
  double              empty_x, empty_y;

  GArray             *legend;       /* LegendItem */
  double              swatch;

  BbChartRect         plot;

  /* bars and lines */
  double              axis_min, axis_max, step;
  guint               n_ticks;
  GPtrArray          *tick_labels;  /* PangoLayout */
  GPtrArray          *cat_labels;   /* PangoLayout or NULL where not shown */
  GArray             *cat_x;        /* double: label's left (horizontal) or anchor (turned) */
  double              cat_y;
  double              cat_baseline; /* of the row of level labels, from cat_y */
  gboolean            rotated;

  /* donut */
  double              cx, cy, r_outer, r_inner;
  gint64              total;
  PangoLayout        *center_value;
  PangoLayout        *center_caption;
} Layout;

static void
legend_item_clear (LegendItem *item)
{
  g_clear_object (&item->name);
  g_clear_object (&item->value);
}

static void
layout_free (Layout *L)
{
  g_clear_object (&L->context);
  g_clear_object (&L->context_cjk);
  for (guint f = 0; f < N_FONTS; f++)
    g_clear_pointer (&L->fonts[f], pango_font_description_free);
  g_clear_object (&L->title);
  g_clear_object (&L->empty_text);
  g_clear_pointer (&L->legend, g_array_unref);
  g_clear_pointer (&L->tick_labels, g_ptr_array_unref);
  g_clear_pointer (&L->cat_labels, g_ptr_array_unref);
  g_clear_pointer (&L->cat_x, g_array_unref);
  g_clear_object (&L->center_value);
  g_clear_object (&L->center_caption);
  g_free (L);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Layout, layout_free)

static double
style_font_size (const BbChartStyle *style)
{
  return style->font_size > 0 ? style->font_size : DEFAULT_FONT_SIZE;
}

static void
layout_init_fonts (Layout             *L,
                   const BbChartStyle *style)
{
  static const struct { double scale; gboolean bold; } fonts[N_FONTS] = {
    [FONT_NORMAL] = { 1.0,  FALSE },
    [FONT_SMALL]  = { 0.9,  FALSE },
    [FONT_TITLE]  = { 1.15, TRUE },
    [FONT_BIG]    = { 1.3,  TRUE },
  };
  const char *chinese = _bb_pdf_chinese_of_locale ();
  double size = style_font_size (style);

  L->context = _bb_pdf_context_new (NULL, chinese != NULL ? pango_language_from_string (chinese)
                                            : pango_language_get_default (), DPI);
  L->context_cjk = _bb_pdf_context_new (NULL, pango_language_from_string (chinese != NULL ? chinese : "zh-cn"), DPI);

  for (guint f = 0; f < N_FONTS; f++)
    {
      L->fonts[f] = pango_font_description_from_string (style->font_family != NULL && style->font_family[0] != '\0'
                                                        ? style->font_family : DEFAULT_FONT_FAMILY);
      pango_font_description_set_size (L->fonts[f], (int) (size * fonts[f].scale * PANGO_SCALE));
      pango_font_description_set_weight (L->fonts[f], fonts[f].bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    }

  L->em = size * DPI / 72.0;
  L->pad = MAX (4.0, round (L->em * 0.6));
}

static PangoLayout *
text_new (Layout     *L,
          const char *text,
          Font        font)
{
  PangoLayout *layout = pango_layout_new (_bb_pdf_text_is_cjk (text) ? L->context_cjk : L->context);

  pango_layout_set_font_description (layout, L->fonts[font]);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

static double
text_baseline (PangoLayout *layout)
{
  return layout != NULL ? (double) pango_layout_get_baseline (layout) / PANGO_SCALE : 0;
}

/* Cuts @layout to @max_width with an ellipsis, if it is wider. */
static void
text_fit (PangoLayout *layout,
          double       max_width)
{
  if (_bb_pdf_text_width (layout) <= max_width)
    return;

  pango_layout_set_width (layout, (int) (MAX (max_width, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
}

/* The rows of a legend that flows left to right, each row centred
 * between @left and @right, from @top; at most @max_rows rows, the items
 * that do not fit replaced by "+N more". Returns its height. */
static double
legend_flow (Layout *L,
             GArray *items,
             double  left,
             double  right,
             double  top,
             guint   max_rows)
{
  double gap_swatch = L->em * 0.4, gap_item = L->em * 1.2;
  double row_h = L->lh;
  guint total = items->len, keep = items->len;

  max_rows = MAX (max_rows, 1);

  for (guint name = 0; name < items->len; name++)
    {
      LegendItem *item = &g_array_index (items, LegendItem, name);
      double fixed = L->swatch + gap_swatch + (item->value ? gap_swatch + _bb_pdf_text_width (item->value) : 0);

      text_fit (item->name, MAX ((right - left) - fixed, L->em * 3));
    }

  for (;;)
    {
      guint rows = 1, row_start = 0;
      double x = 0;
      g_autoptr(GArray) widths = g_array_new (FALSE, FALSE, sizeof (double));

      if (keep < items->len)
        {
          LegendItem more = { 0 };
          g_autofree char *text = NULL;
          guint hidden = total - keep;

          /* drop a previous "+N more" */
          while (items->len > 0 && g_array_index (items, LegendItem, items->len - 1).color < 0)
            {
              legend_item_clear (&g_array_index (items, LegendItem, items->len - 1));
              g_array_set_size (items, items->len - 1);
            }
          for (guint i = items->len; i > keep; i--)
            {
              legend_item_clear (&g_array_index (items, LegendItem, i - 1));
              g_array_set_size (items, i - 1);
            }
          /* TRANSLATORS: in a chart's legend, for the entries that do not fit */
          text = g_strdup_printf (ngettext ("+%u more", "+%u more", hidden), hidden);
          more.name = text_new (L, text, FONT_NORMAL);
          more.color = -1;
          g_array_append_val (items, more);
        }

      for (guint i = 0; i < items->len; i++)
        {
          LegendItem *item = &g_array_index (items, LegendItem, i);
          double w = _bb_pdf_text_width (item->name) + (item->color >= 0 ? L->swatch + gap_swatch : 0);

          if (item->value != NULL)
            {
              item->value_x = w + gap_swatch;
              w += gap_swatch + _bb_pdf_text_width (item->value);
            }
          g_array_append_val (widths, w);
        }

      /* place */
      x = 0;
      for (guint i = 0; i <= items->len; i++)
        {
          double w = i < items->len ? g_array_index (widths, double, i) : 0;

          if (i == items->len || (i > row_start && x + gap_item + w > right - left))
            {
              double shift = left + ((right - left) - x) / 2;
              double px = shift;

              for (guint j = row_start; j < i; j++)
                {
                  LegendItem *item = &g_array_index (items, LegendItem, j);

                  item->x = px;
                  item->y = top + (rows - 1) * row_h;
                  item->value_x += px;
                  px += g_array_index (widths, double, j) + gap_item;
                }
              if (i == items->len)
                break;
              rows++;
              row_start = i;
              x = w;
            }
          else
            x += (i > row_start ? gap_item : 0) + w;
        }

      if (rows <= max_rows || keep == 0)
        return rows * row_h;

      for (guint i = 0; i < items->len; i++)
        g_array_index (items, LegendItem, i).value_x = 0;
      keep--;
    }
}

static double
value_to_y (const Layout *L,
            double        value)
{
  return L->plot.y + L->plot.height * (L->axis_max - value) / (L->axis_max - L->axis_min);
}

/* The value axis for a plot of @plot_height: ticks and their labels;
 * returns the labels' width. */
static double
layout_ticks (Layout *L,
              double  data_min,
              double  data_max,
              double  plot_height)
{
  const BbChart *chart = L->chart;
  guint max_ticks = (guint) CLAMP (plot_height / (2.4 * L->lh) + 1, 2, 8);
  g_autofree gint64 *ticks = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  double first, widest = 0;

  if (!bb_chart_nice_ticks (data_min, data_max, max_ticks, &L->step, &L->n_ticks))
    L->step = 1, L->n_ticks = 2;

  /* values are whole units: no tick between two of them */
  if (L->step < 1)
    {
      L->step = 1;
      L->n_ticks = (guint) (ceil (data_max - 1e-9) - floor (data_min + 1e-9) + 1);
    }

  first = floor (data_min / L->step + 1e-9);
  L->axis_min = first * L->step;
  L->axis_max = (first + L->n_ticks - 1) * L->step;

  ticks = g_new (gint64, L->n_ticks);
  for (guint i = 0; i < L->n_ticks; i++)
    ticks[i] = (gint64) llround ((first + i) * L->step);

  texts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < L->n_ticks; i++)
    {
      switch (chart->format)
        {
        case BB_CHART_VALUE_MONEY:
          g_ptr_array_add (texts, format_money_tick (ticks[i], chart->currency));
          break;
        case BB_CHART_VALUE_COUNT:
          g_ptr_array_add (texts, format_integer (ticks[i]));
          break;
        case BB_CHART_VALUE_PERCENT:
        default:
          g_ptr_array_add (texts, format_percent (ticks[i]));
          break;
        }
    }

  g_clear_pointer (&L->tick_labels, g_ptr_array_unref);
  L->tick_labels = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < texts->len; i++)
    {
      PangoLayout *label = text_new (L, g_ptr_array_index (texts, i), FONT_SMALL);

      widest = MAX (widest, _bb_pdf_text_width (label));
      g_ptr_array_add (L->tick_labels, label);
    }

  /* ¥12k only when the full labels take too much room */
  if (widest > MIN (L->width * 0.18, L->em * 8) && chart->format != BB_CHART_VALUE_PERCENT)
    {
      g_autoptr(GPtrArray) compact = format_compact_ticks (ticks, L->n_ticks,
                                                           chart->format == BB_CHART_VALUE_MONEY ? chart->currency : NULL);

      if (compact != NULL)
        {
          g_ptr_array_set_size (L->tick_labels, 0);
          widest = 0;
          for (guint i = 0; i < compact->len; i++)
            {
              PangoLayout *label = text_new (L, g_ptr_array_index (compact, i), FONT_SMALL);

              widest = MAX (widest, _bb_pdf_text_width (label));
              g_ptr_array_add (L->tick_labels, label);
            }
        }
    }

  return widest;
}

typedef struct
{
  gboolean rotated;
  guint    every;
  double   max_width;    /* labels are cut to this; 0 for no cut */
  double   height;
  double   extra_left;   /* the plot moves right by this, for a turned first label */
} CategoryArrangement;

/* @room: the most height turned labels may take */
static void
arrange_categories (Layout              *L,
                    const double        *natural,
                    double               tallest,
                    double               plot_left,
                    double               plot_right,
                    double               room,
                    CategoryArrangement *out)
{
  guint n = L->chart->categories->len;
  double slot = (plot_right - plot_left) / n;
  double gap = L->em * 0.8;
  double widest = 0;

  for (guint c = 0; c < n; c++)
    widest = MAX (widest, natural[c]);

  memset (out, 0, sizeof *out);
  out->every = 1;
  out->height = tallest;

  if (widest + gap <= slot)
    return;

  /* wide slots: cut the names rather than lose any */
  if (slot - gap >= L->em * 6)
    {
      out->max_width = slot - gap;
      return;
    }

  /* turned 45°, if that shows every label */
  {
    double longest = MIN (MIN (widest, L->em * 10), room / SIN45 - tallest);
    double first, extra, spacing;
    gboolean one_year;

    longest = MIN (longest, (plot_right - plot_left) * 0.5);
    first = MIN (natural[0], longest);
    /* the first label's start stays in the chart: the plot moves right */
    extra = MAX (0, L->pad - (plot_left + slot / 2 - SIN45 * first - SIN45 * tallest / 2));

    /* Months read well thinned out (the reader fills in the gaps), so
     * they are turned only with air between them; names are turned even
     * close together, rather than lost. */
    spacing = all_months (L->chart, &one_year) ? 1.4 : 1.05;
    if (longest >= L->em * 3 &&
        (plot_right - plot_left - extra) / n * SIN45 >= tallest * spacing)
      {
        out->rotated = TRUE;
        out->max_width = widest > longest ? longest : 0;
        out->height = SIN45 * (MIN (widest, longest) + tallest);
        out->extra_left = extra;
        return;
      }
  }

  /* every k-th, level; the first and the last label move in from the
   * edges by up to half their overhang, which the spacing allows for */
  {
    double longest = MIN (MIN (widest, L->em * 10), plot_right - plot_left);
    double overhang = MAX (0, (longest - slot) / 2);

    out->every = (guint) ceil ((longest + gap + overhang) / slot);
    out->max_width = widest > longest ? longest : 0;
  }
}

/* The labels not shown are NULL. */
static void
object_unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
layout_axes (Layout *L)
{
  const BbChart *chart = L->chart;
  guint n = chart->categories->len;
  double top = L->content_top, bottom = L->height - L->pad;
  double data_min = 0, data_max = 0;
  double label_gap = L->em * 0.35;
  double plot_left = 0, plot_right = L->width - L->pad;
  g_autofree double *natural = g_new (double, n);
  double tallest = 0;
  CategoryArrangement arrangement = { 0 };

  /* the legend, when there is more than one series */
  if (chart->series->len > 1)
    {
      double height;

      for (guint s = 0; s < chart->series->len; s++)
        {
          const Series *series = g_ptr_array_index (chart->series, s);
          LegendItem item = { 0 };

          item.name = text_new (L, series->name, FONT_NORMAL);
          item.color = (int) s;
          g_array_append_val (L->legend, item);
        }
      height = legend_flow (L, L->legend, L->pad, L->width - L->pad, 0,
                            (guint) MAX (1, ((bottom - top) / 3) / L->lh));
      for (guint i = 0; i < L->legend->len; i++)
        g_array_index (L->legend, LegendItem, i).y += bottom - height;
      bottom -= height + L->em * 0.6;
    }

  /* the values' range, with zero */
  for (guint c = 0; c < n; c++)
    {
      if (chart->kind == BB_CHART_STACKED_BAR)
        {
          double up = 0, down = 0;

          for (guint s = 0; s < chart->series->len; s++)
            {
              gint64 v = value_at (chart, s, c);

              if (v > 0)
                up += (double) v;
              else
                down += (double) v;
            }
          data_max = MAX (data_max, up);
          data_min = MIN (data_min, down);
        }
      else
        for (guint s = 0; s < chart->series->len; s++)
          {
            double v = (double) value_at (chart, s, c);

            data_max = MAX (data_max, v);
            data_min = MIN (data_min, v);
          }
    }

  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PangoLayout) label = text_new (L, g_ptr_array_index (chart->categories, c), FONT_SMALL);

      natural[c] = _bb_pdf_text_width (label);
      tallest = MAX (tallest, _bb_pdf_text_height (label));
    }

  /* the plot's height decides the ticks, whose labels' width and the
   * category labels' height decide the plot: a few rounds settle it */
  for (guint round_ = 0; round_ < 4; round_++)
    {
      double plot_top = top + L->lh / 2;
      double plot_bottom = bottom - label_gap - arrangement.height - (round_ == 0 ? L->lh : 0);
      double labels_width = layout_ticks (L, data_min, data_max, MAX (plot_bottom - plot_top, 1));
      double previous = arrangement.height;

      plot_left = L->pad + labels_width + L->em * 0.5;
      arrange_categories (L, natural, tallest, plot_left, plot_right,
                          MIN (L->height * 0.3, (bottom - top) * 0.35), &arrangement);
      plot_left += arrangement.extra_left;

      L->plot.x = plot_left;
      L->plot.y = plot_top;
      L->plot.width = MAX (plot_right - plot_left, 1);
      L->plot.height = MAX (bottom - label_gap - arrangement.height - plot_top, 1);

      if (round_ > 0 && previous == arrangement.height)
        break;
    }

  /* the category labels */
  L->rotated = arrangement.rotated;
  L->cat_labels = g_ptr_array_new_full (n, object_unref_nullable);
  L->cat_x = g_array_sized_new (FALSE, TRUE, sizeof (double), n);
  g_array_set_size (L->cat_x, n);
  L->cat_y = L->plot.y + L->plot.height + label_gap;
  {
    double slot = L->plot.width / n;
    double previous_right = -G_MAXDOUBLE;

    for (guint c = 0; c < n; c++)
      {
        PangoLayout *label = NULL;
        double centre = L->plot.x + slot * (c + 0.5);

        if (c % arrangement.every == 0)
          {
            label = text_new (L, g_ptr_array_index (chart->categories, c), FONT_SMALL);
            if (arrangement.max_width > 0)
              text_fit (label, arrangement.max_width);

            if (arrangement.rotated)
              g_array_index (L->cat_x, double, c) = centre;
            else
              {
                double w = _bb_pdf_text_width (label);
                double x = CLAMP (centre - w / 2, L->plot.x - L->em * 0.25, L->width - L->pad - w);

                /* never over the one before */
                if (x < previous_right + L->em * 0.5)
                  g_clear_object (&label);
                else
                  {
                    g_array_index (L->cat_x, double, c) = x;
                    previous_right = x + w;
                  }
              }
          }
        g_ptr_array_add (L->cat_labels, label);
        /* Latin and Chinese labels side by side share a baseline */
        L->cat_baseline = MAX (L->cat_baseline, text_baseline (label));
      }
  }
}

static void
layout_donut (Layout *L)
{
  const BbChart *chart = L->chart;
  double top = L->content_top, bottom = L->height - L->pad;
  double avail_w = L->width - 2 * L->pad, avail_h = bottom - top;
  double diameter;
  gboolean side = avail_w >= avail_h * 1.5;

  L->total = 0;
  for (guint c = 0; c < chart->categories->len; c++)
    L->total = add_saturating (L->total, MAX (value_at (chart, 0, c), 0));

  for (guint c = 0; c < chart->categories->len; c++)
    {
      gint64 v = value_at (chart, 0, c);
      LegendItem item = { 0 };
      g_autofree char *share = NULL;

      if (v <= 0)
        continue;
      share = format_share (100.0 * (double) v / (double) L->total);
      item.name = text_new (L, g_ptr_array_index (chart->categories, c), FONT_NORMAL);
      item.value = text_new (L, share, FONT_NORMAL);
      item.color = (int) c;
      g_array_append_val (L->legend, item);
    }

  if (side)
    {
      /* a column beside the donut: swatch, name, share right-aligned */
      double row_h = L->lh * 1.3;
      guint max_rows = (guint) MAX (1, avail_h / row_h);
      double gap = L->em * 0.5, names = 0, values = 0, column, legend_h, left;
      guint shown = MIN (L->legend->len, max_rows);

      if (shown < L->legend->len)
        {
          LegendItem more = { 0 };
          g_autofree char *text = NULL;
          guint hidden = L->legend->len - (shown - 1);

          for (guint i = L->legend->len; i > shown - 1; i--)
            legend_item_clear (&g_array_index (L->legend, LegendItem, i - 1));
          g_array_set_size (L->legend, shown - 1);
          text = g_strdup_printf (ngettext ("+%u more", "+%u more", hidden), hidden);
          more.name = text_new (L, text, FONT_NORMAL);
          more.color = -1;
          g_array_append_val (L->legend, more);
        }

      for (guint i = 0; i < L->legend->len; i++)
        {
          LegendItem *item = &g_array_index (L->legend, LegendItem, i);

          text_fit (item->name, avail_w * 0.3);
          names = MAX (names, _bb_pdf_text_width (item->name));
          if (item->value != NULL)
            values = MAX (values, _bb_pdf_text_width (item->value));
        }
      column = L->swatch + gap + names + L->em * 1.2 + values;
      legend_h = L->legend->len * row_h;
      diameter = MIN (avail_h, avail_w - column - L->em * 2);
      diameter = MAX (diameter, 1);
      left = L->pad + (avail_w - (diameter + L->em * 2 + column)) / 2;

      L->cx = left + diameter / 2;
      L->cy = top + avail_h / 2;
      for (guint i = 0; i < L->legend->len; i++)
        {
          LegendItem *item = &g_array_index (L->legend, LegendItem, i);

          item->x = left + diameter + L->em * 2;
          item->y = L->cy - legend_h / 2 + i * row_h + (row_h - L->lh) / 2;
          if (item->value != NULL)
            item->value_x = item->x + column - _bb_pdf_text_width (item->value);
        }
    }
  else
    {
      double legend_h = legend_flow (L, L->legend, L->pad, L->width - L->pad, 0,
                                     (guint) MAX (1, (avail_h * 0.4) / L->lh));

      for (guint i = 0; i < L->legend->len; i++)
        g_array_index (L->legend, LegendItem, i).y += bottom - legend_h;
      diameter = MAX (MIN (avail_w, avail_h - legend_h - L->em * 0.8), 1);
      L->cx = L->width / 2;
      L->cy = top + (avail_h - legend_h - L->em * 0.8) / 2;
    }

  L->r_outer = diameter / 2;
  L->r_inner = L->r_outer * 0.6;
  L->plot.x = L->cx - L->r_outer;
  L->plot.y = L->cy - L->r_outer;
  L->plot.width = L->plot.height = diameter;

  /* the total in the hole, when it fits */
  if (chart->format != BB_CHART_VALUE_PERCENT)
    {
      g_autofree char *total = bb_chart_format_value (L->chart, L->total);
      double room = L->r_inner * 2 * 0.85;

      L->center_value = text_new (L, total, FONT_BIG);
      if (_bb_pdf_text_width (L->center_value) > room)
        {
          g_autoptr(GPtrArray) compact = format_compact_ticks (&L->total, 1,
                                                               chart->format == BB_CHART_VALUE_MONEY ? chart->currency : NULL);

          g_clear_object (&L->center_value);
          if (compact != NULL)
            {
              L->center_value = text_new (L, g_ptr_array_index (compact, 0), FONT_BIG);
              if (_bb_pdf_text_width (L->center_value) > room)
                g_clear_object (&L->center_value);
            }
        }
      if (L->center_value != NULL)
        {
          /* TRANSLATORS: under the sum in a donut chart's hole */
          L->center_caption = text_new (L, C_("chart", "Total"), FONT_SMALL);
          if (_bb_pdf_text_width (L->center_caption) > room ||
              _bb_pdf_text_height (L->center_value) + _bb_pdf_text_height (L->center_caption) > room)
            g_clear_object (&L->center_caption);
        }
    }
}

static Layout *
layout_new (BbChart            *chart,
            const BbChartStyle *style,
            double              width,
            double              height)
{
  Layout *L = g_new0 (Layout, 1);
  g_autoptr(PangoLayout) probe = NULL;

  L->chart = chart;
  L->style = style;
  L->width = MAX (width, 1);
  L->height = MAX (height, 1);
  L->legend = g_array_new (FALSE, TRUE, sizeof (LegendItem));
  g_array_set_clear_func (L->legend, (GDestroyNotify) legend_item_clear);

  layout_init_fonts (L, style);
  probe = text_new (L, "Ag", FONT_NORMAL);
  L->lh = _bb_pdf_text_height (probe);
  L->swatch = round (L->em * 0.75);

  L->content_top = L->pad;
  if (style->show_title && chart->title != NULL)
    {
      L->title = text_new (L, chart->title, FONT_TITLE);
      text_fit (L->title, L->width - 2 * L->pad);
      L->content_top += _bb_pdf_text_height (L->title) + L->em * 0.6;
    }

  L->empty = bb_chart_is_empty (chart);
  if (L->empty)
    {
      double top = L->content_top, bottom = L->height - L->pad;

      L->empty_text = text_new (L, _("No data for this period"), FONT_BIG);
      text_fit (L->empty_text, L->width - 2 * L->pad);
      L->empty_x = (L->width - _bb_pdf_text_width (L->empty_text)) / 2;
      L->empty_y = top + (bottom - top - _bb_pdf_text_height (L->empty_text)) / 2;
      return L;
    }

  if (chart->kind == BB_CHART_DONUT)
    layout_donut (L);
  else
    layout_axes (L);

  return L;
}

/* ------------------------------------------------------------------ */
/* Geometry of the data                                                */

static double
slot_width (const Layout *L)
{
  return L->plot.width / L->chart->categories->len;
}

/* The bar of @series in @category (its segment, when stacked). */
static BbChartRect
bar_rect (const Layout *L,
          guint         series,
          guint         category)
{
  const BbChart *chart = L->chart;
  double slot = slot_width (L);
  double zero = value_to_y (L, 0);
  double base = 0, value = (double) value_at (chart, series, category);
  double x, w, top, bottom;

  if (chart->kind == BB_CHART_STACKED_BAR)
    {
      w = MIN (slot * 0.72, L->em * 5);
      x = L->plot.x + slot * category + (slot - w) / 2;
      for (guint s = 0; s < series; s++)
        {
          gint64 v = value_at (chart, s, category);

          if ((v > 0) == (value > 0) && v != 0)
            base += (double) v;
        }
    }
  else
    {
      guint n = chart->series->len;
      double gap;

      w = MIN (slot * 0.72 / n, L->em * 5);
      gap = n > 1 ? MIN (2.0, w * 0.15) : 0;
      x = L->plot.x + slot * category + (slot - w * n) / 2 + w * series;
      x += gap / 2;
      w -= gap;
    }

  top = value_to_y (L, base + MAX (value, 0));
  bottom = value_to_y (L, base + MIN (value, 0));
  if (base == 0)
    {
      if (value >= 0)
        bottom = zero;
      else
        top = zero;
    }

  return (BbChartRect) { x, top, w, bottom - top };
}

static void
point_at (const Layout *L,
          guint         series,
          guint         category,
          double       *x,
          double       *y)
{
  *x = L->plot.x + slot_width (L) * (category + 0.5);
  *y = value_to_y (L, (double) value_at (L->chart, series, category));
}

static double
slice_start (const Layout *L,
             guint         category)
{
  double sum = 0;

  for (guint c = 0; c < category; c++)
    sum += (double) MAX (value_at (L->chart, 0, c), 0);

  return -G_PI / 2 + 2 * G_PI * sum / (double) L->total;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

static void
show_text (cairo_t            *cr,
           PangoLayout        *layout,
           double              x,
           double              y,
           const BbChartColor *color,
           double              opacity)
{
  if (layout == NULL)
    return;

  set_color (cr, color, opacity);
  cairo_move_to (cr, x, y);

  /* Chinese on paper: as outlines, as bills are (cairo 1.16 loses parts
   * of CJK glyphs when it subsets their fonts into a PDF) */
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
      _bb_pdf_show_layout (cr, layout);
      break;
    default:
      pango_cairo_show_layout (cr, layout);
      break;
    }
}

/* A rectangle on whole device pixels: crisp edges on screen. */
static void
snapped_rectangle (cairo_t           *cr,
                   const BbChartRect *r)
{
  double x0 = r->x, y0_ = r->y, x1 = r->x + r->width, y1_ = r->y + r->height;

  cairo_user_to_device (cr, &x0, &y0_);
  cairo_user_to_device (cr, &x1, &y1_);
  x0 = round (x0), y0_ = round (y0_), x1 = round (x1), y1_ = round (y1_);
  cairo_device_to_user (cr, &x0, &y0_);
  cairo_device_to_user (cr, &x1, &y1_);
  cairo_rectangle (cr, x0, y0_, x1 - x0, y1_ - y0_);
}

/* A horizontal line of one device pixel, on a pixel row. */
static void
hairline (cairo_t *cr,
          double   left,
          double   right,
          double   y)
{
  double x = left, dx = 1, dy = 1;

  cairo_user_to_device (cr, &x, &y);
  y = floor (y) + 0.5;
  cairo_device_to_user (cr, &x, &y);
  cairo_device_to_user_distance (cr, &dx, &dy);
  cairo_move_to (cr, left, y);
  cairo_line_to (cr, right, y);
  cairo_set_line_width (cr, fabs (dy));
  cairo_stroke (cr);
}

static void
draw_legend (Layout  *L,
             cairo_t *cr)
{
  double gap = L->em * 0.4, baseline = 0;

  /* one baseline for Latin and Chinese names */
  for (guint i = 0; i < L->legend->len; i++)
    {
      const LegendItem *item = &g_array_index (L->legend, LegendItem, i);

      baseline = MAX (baseline, MAX (text_baseline (item->name), text_baseline (item->value)));
    }

  for (guint i = 0; i < L->legend->len; i++)
    {
      const LegendItem *item = &g_array_index (L->legend, LegendItem, i);
      double text_x = item->x;

      if (item->color >= 0)
        {
          /* centred on the middle of capitals */
          double y = item->y + baseline - L->em * 0.36 - L->swatch / 2;

          set_color (cr, palette_color (L->style, (guint) item->color), 1);
          if (L->chart->kind == BB_CHART_LINE)
            {
              cairo_rectangle (cr, item->x, y + L->swatch / 2 - MAX (1.0, L->em * 0.09),
                               L->swatch, 2 * MAX (1.0, L->em * 0.09));
              cairo_fill (cr);
              cairo_arc (cr, item->x + L->swatch / 2, y + L->swatch / 2, L->swatch * 0.3, 0, 2 * G_PI);
            }
          else
            cairo_rectangle (cr, item->x, y, L->swatch, L->swatch);
          cairo_fill (cr);
          text_x += L->swatch + gap;
        }

      show_text (cr, item->name, text_x, item->y + baseline - text_baseline (item->name),
                 &L->style->foreground, item->color >= 0 ? 1 : 0.7);
      if (item->value != NULL)
        show_text (cr, item->value, item->value_x, item->y + baseline - text_baseline (item->value),
                   &L->style->foreground, 0.7);
    }
}

static void
draw_axes_chart (Layout  *L,
                 cairo_t *cr)
{
  const BbChart *chart = L->chart;
  const BbChartStyle *style = L->style;
  guint n = chart->categories->len;
  double plot_right = L->plot.x + L->plot.width;

  /* grid and tick labels */
  for (guint i = 0; i < L->n_ticks; i++)
    {
      double value = L->axis_min + i * L->step;
      double y = value_to_y (L, value);
      PangoLayout *label = g_ptr_array_index (L->tick_labels, i);

      if (fabs (value) > L->step * 1e-6)
        {
          set_color (cr, &style->grid, 1);
          hairline (cr, L->plot.x, plot_right, y);
        }
      show_text (cr, label, L->plot.x - L->em * 0.5 - _bb_pdf_text_width (label),
                 y - _bb_pdf_text_height (label) / 2, &style->foreground, 0.8);
    }

  /* the data, kept to the plot (and a marker's radius around it) */
  cairo_save (cr);
  cairo_rectangle (cr, L->plot.x - L->em, L->plot.y - L->em,
                   L->plot.width + 2 * L->em, L->plot.height + 2 * L->em);
  cairo_clip (cr);

  if (chart->kind == BB_CHART_LINE)
    {
      double slot = slot_width (L);
      double line_w = MAX (2.0, L->em * 0.15);
      double radius = MAX (2.5, L->em * 0.25);
      gboolean markers = n == 1 || slot >= radius * 5;

      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      for (guint s = 0; s < chart->series->len; s++)
        {
          set_color (cr, palette_color (style, s), 1);
          if (n > 1)
            {
              for (guint c = 0; c < n; c++)
                {
                  double x, y;

                  point_at (L, s, c, &x, &y);
                  if (c == 0)
                    cairo_move_to (cr, x, y);
                  else
                    cairo_line_to (cr, x, y);
                }
              cairo_set_line_width (cr, line_w);
              cairo_stroke (cr);
            }
          if (markers)
            for (guint c = 0; c < n; c++)
              {
                double x, y;

                point_at (L, s, c, &x, &y);
                cairo_new_sub_path (cr);
                cairo_arc (cr, x, y, n == 1 ? radius * 1.6 : radius, 0, 2 * G_PI);
              }
          cairo_fill (cr);
        }
    }
  else
    for (guint s = 0; s < chart->series->len; s++)
      {
        set_color (cr, palette_color (style, s), 1);
        for (guint c = 0; c < n; c++)
          {
            BbChartRect r;

            if (value_at (chart, s, c) == 0)
              continue;
            r = bar_rect (L, s, c);
            snapped_rectangle (cr, &r);
          }
        cairo_fill (cr);
      }
  cairo_restore (cr);

  /* the zero line */
  set_color (cr, &style->axis, 1);
  hairline (cr, L->plot.x, plot_right, value_to_y (L, 0));

  /* category labels */
  for (guint c = 0; c < n; c++)
    {
      PangoLayout *label = g_ptr_array_index (L->cat_labels, c);
      double x = g_array_index (L->cat_x, double, c);

      if (label == NULL)
        continue;

      if (L->rotated)
        {
          double h = _bb_pdf_text_height (label);

          cairo_save (cr);
          cairo_translate (cr, x, L->cat_y + SIN45 * h / 2);
          cairo_rotate (cr, -G_PI / 4);
          show_text (cr, label, -_bb_pdf_text_width (label), -h / 2, &style->foreground, 0.8);
          cairo_restore (cr);
        }
      else
        show_text (cr, label, x, L->cat_y + L->cat_baseline - text_baseline (label),
                   &style->foreground, 0.8);
    }
}

static void
draw_donut (Layout  *L,
            cairo_t *cr)
{
  const BbChart *chart = L->chart;
  guint n = chart->categories->len, slices = 0;
  double gap = MAX (1.5, L->em * 0.12);

  for (guint c = 0; c < n; c++)
    if (value_at (chart, 0, c) > 0)
      slices++;

  for (guint c = 0; c < n; c++)
    {
      double a0 = slice_start (L, c), a1 = slice_start (L, c + 1);
      double cut_out = slices > 1 ? gap / 2 / L->r_outer : 0;
      double cut_in = slices > 1 ? gap / 2 / L->r_inner : 0;

      if (value_at (chart, 0, c) <= 0)
        continue;
      /* a sliver keeps at least a hairline */
      if (a1 - a0 <= 2 * cut_in)
        cut_out = cut_in = 0;

      set_color (cr, palette_color (L->style, c), 1);
      cairo_new_path (cr);
      cairo_arc (cr, L->cx, L->cy, L->r_outer, a0 + cut_out, a1 - cut_out);
      cairo_arc_negative (cr, L->cx, L->cy, L->r_inner, a1 - cut_in, a0 + cut_in);
      cairo_close_path (cr);
      cairo_fill (cr);
    }

  if (L->center_value != NULL)
    {
      double h = _bb_pdf_text_height (L->center_value) + (L->center_caption ? _bb_pdf_text_height (L->center_caption) : 0);
      double y = L->cy - h / 2;

      show_text (cr, L->center_value, L->cx - _bb_pdf_text_width (L->center_value) / 2, y,
                 &L->style->foreground, 1);
      if (L->center_caption != NULL)
        show_text (cr, L->center_caption, L->cx - _bb_pdf_text_width (L->center_caption) / 2,
                   y + _bb_pdf_text_height (L->center_value), &L->style->foreground, 0.7);
    }
}

/**
 * bb_chart_draw:
 * @style: colours and font
 * @cr: where to draw; the chart takes the rectangle (0, 0, @width,
 *   @height) of its user space and draws nothing outside it
 *
 * Draws the chart: its title if @style asks, the bars, lines or donut,
 * axes and legend, or "No data for this period" for an empty chart.
 */
void
bb_chart_draw (BbChart            *chart,
               const BbChartStyle *style,
               cairo_t            *cr,
               double              width,
               double              height)
{
  g_autoptr(Layout) L = NULL;

  g_return_if_fail (chart != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;

  L = layout_new (chart, style, width, height);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_new_path (cr);

  if (style->background.alpha > 0)
    {
      set_color (cr, &style->background, 1);
      cairo_paint (cr);
    }

  if (L->title != NULL)
    show_text (cr, L->title, L->pad, L->pad, &style->foreground, 1);

  if (L->empty)
    show_text (cr, L->empty_text, L->empty_x, L->empty_y, &style->foreground, 0.7);
  else if (chart->kind == BB_CHART_DONUT)
    draw_donut (L, cr);
  else
    draw_axes_chart (L, cr);

  if (!L->empty)
    draw_legend (L, cr);

  cairo_restore (cr);
}

gboolean
bb_chart_get_plot_area (BbChart            *chart,
                        const BbChartStyle *style,
                        double              width,
                        double              height,
                        BbChartRect        *area)
{
  g_autoptr(Layout) L = NULL;

  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  memset (area, 0, sizeof *area);
  if (width <= 0 || height <= 0)
    return FALSE;

  L = layout_new (chart, style, width, height);
  if (L->empty)
    return FALSE;

  *area = L->plot;
  return TRUE;
}

gboolean
bb_chart_get_value_range (BbChart            *chart,
                          const BbChartStyle *style,
                          double              width,
                          double              height,
                          double             *min,
                          double             *max)
{
  g_autoptr(Layout) L = NULL;

  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);

  if (width <= 0 || height <= 0 || chart->kind == BB_CHART_DONUT)
    return FALSE;

  L = layout_new (chart, style, width, height);
  if (L->empty)
    return FALSE;

  if (min != NULL)
    *min = L->axis_min;
  if (max != NULL)
    *max = L->axis_max;
  return TRUE;
}

gboolean
bb_chart_hit_test (BbChart            *chart,
                   const BbChartStyle *style,
                   double              width,
                   double              height,
                   double              x,
                   double              y,
                   int                *series,
                   int                *category)
{
  g_autoptr(Layout) L = NULL;
  int found_series = -1, found_category = -1;

  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);

  if (series != NULL)
    *series = -1;
  if (category != NULL)
    *category = -1;

  if (width <= 0 || height <= 0)
    return FALSE;

  L = layout_new (chart, style, width, height);
  if (L->empty)
    return FALSE;

  if (chart->kind == BB_CHART_DONUT)
    {
      double dx = x - L->cx, dy = y - L->cy;
      double r = hypot (dx, dy), angle;

      if (r < L->r_inner || r > L->r_outer)
        return FALSE;
      angle = atan2 (dy, dx);
      if (angle < -G_PI / 2)
        angle += 2 * G_PI;
      for (guint c = 0; c < chart->categories->len; c++)
        if (value_at (chart, 0, c) > 0 && angle >= slice_start (L, c) && angle < slice_start (L, c + 1))
          {
            found_series = 0;
            found_category = (int) c;
            break;
          }
    }
  else
    {
      guint n = chart->categories->len, c;
      double slot = slot_width (L);

      if (x < L->plot.x || x >= L->plot.x + L->plot.width ||
          y < L->plot.y || y > L->plot.y + L->plot.height)
        return FALSE;

      c = MIN ((guint) ((x - L->plot.x) / slot), n - 1);
      found_category = (int) c;

      if (chart->kind == BB_CHART_BAR)
        {
          guint count = chart->series->len;
          double w = MIN (slot * 0.72 / count, L->em * 5);
          double left = L->plot.x + slot * c + (slot - w * count) / 2;

          found_series = (int) CLAMP (floor ((x - left) / w), 0, count - 1);
        }
      else if (chart->kind == BB_CHART_STACKED_BAR)
        {
          for (guint s = 0; s < chart->series->len; s++)
            {
              BbChartRect r;

              if (value_at (chart, s, c) == 0)
                continue;
              r = bar_rect (L, s, c);
              if (y >= r.y && y <= r.y + r.height)
                found_series = (int) s;
            }
        }
      else
        {
          double nearest = G_MAXDOUBLE;

          for (guint s = 0; s < chart->series->len; s++)
            {
              double px, py;

              point_at (L, s, c, &px, &py);
              if (fabs (py - y) < nearest)
                nearest = fabs (py - y), found_series = (int) s;
            }
        }
    }

  if (found_category < 0)
    return FALSE;

  if (series != NULL)
    *series = found_series;
  if (category != NULL)
    *category = found_category;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static const BbChartStyle *
style_or_default (const BbChartStyle *style,
                  BbChartStyle       *storage)
{
  if (style != NULL)
    return style;

  bb_chart_style_init_default (storage, FALSE);
  return storage;
}

static gboolean
finish_surface (cairo_surface_t *surface,
                cairo_t         *cr,
                const char      *path,
                GError         **error)
{
  cairo_status_t status = cairo_status (cr);

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, BB_CHART_ERROR, BB_CHART_ERROR_FAILED,
                   /* TRANSLATORS: the file and cairo's reason */
                   _("Could not write the chart to “%s”: %s"), name, cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

gboolean
bb_chart_write_png (BbChart            *chart,
                    const BbChartStyle *style,
                    const char         *path,
                    int                 width,
                    int                 height,
                    GError            **error)
{
  BbChartStyle defaults;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  style = style_or_default (style, &defaults);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  bb_chart_draw (chart, style, cr, width, height);
  cairo_surface_flush (surface);

  status = cairo_status (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png (surface, path);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, BB_CHART_ERROR, BB_CHART_ERROR_FAILED,
                   _("Could not write the chart to “%s”: %s"), name, cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

gboolean
bb_chart_write_svg (BbChart            *chart,
                    const BbChartStyle *style,
                    const char         *path,
                    double              width,
                    double              height,
                    GError            **error)
{
  BbChartStyle defaults;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  style = style_or_default (style, &defaults);
  surface = cairo_svg_surface_create (path, width, height);
  cr = cairo_create (surface);
  bb_chart_draw (chart, style, cr, width, height);

  return finish_surface (surface, cr, path, error);
}

gboolean
bb_chart_write_pdf (BbChart            *chart,
                    const BbChartStyle *style,
                    const char         *path,
                    double              width,
                    double              height,
                    GError            **error)
{
  BbChartStyle defaults;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  style = style_or_default (style, &defaults);
  surface = cairo_pdf_surface_create (path, width, height);
  if (chart->title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, chart->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Billbook");
  cr = cairo_create (surface);
  bb_chart_draw (chart, style, cr, width, height);

  return finish_surface (surface, cr, path, error);
}

/* ------------------------------------------------------------------ */
/* For tests                                                           */

char *
_bb_chart_dup_text_language (const BbChartStyle *style,
                             const char         *text)
{
  g_autoptr(BbChart) chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_COUNT);
  g_autoptr(Layout) L = layout_new (chart, style, 100, 100);
  g_autoptr(PangoLayout) layout = text_new (L, text, FONT_NORMAL);

  return g_strdup (pango_language_to_string (pango_context_get_language (pango_layout_get_context (layout))));
}

char *
_bb_chart_dup_text_font_family (const BbChartStyle *style,
                                const char         *text)
{
  g_autoptr(BbChart) chart = bb_chart_new (BB_CHART_BAR, BB_CHART_VALUE_COUNT);
  g_autoptr(Layout) L = layout_new (chart, style, 100, 100);
  g_autoptr(PangoLayout) layout = text_new (L, text, FONT_NORMAL);
  PangoLayoutLine *line = pango_layout_get_line_readonly (layout, 0);
  g_autoptr(PangoFontDescription) description = NULL;
  PangoGlyphItem *run;

  if (line == NULL || line->runs == NULL)
    return NULL;

  run = line->runs->data;
  description = pango_font_describe (run->item->analysis.font);

  return g_strdup (pango_font_description_get_family (description));
}

char *
_bb_chart_dup_tick_labels (BbChart            *chart,
                           const BbChartStyle *style,
                           double              width,
                           double              height)
{
  g_autoptr(Layout) L = layout_new (chart, style, width, height);
  GString *out = g_string_new (NULL);

  for (guint i = 0; L->tick_labels != NULL && i < L->tick_labels->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '|');
      g_string_append (out, pango_layout_get_text (g_ptr_array_index (L->tick_labels, i)));
    }

  return g_string_free (out, FALSE);
}

GArray *
_bb_chart_get_category_labels (BbChart            *chart,
                               const BbChartStyle *style,
                               double              width,
                               double              height,
                               gboolean           *rotated)
{
  g_autoptr(Layout) L = layout_new (chart, style, width, height);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (BbChartLabelBox));

  for (guint c = 0; L->cat_labels != NULL && c < L->cat_labels->len; c++)
    {
      PangoLayout *label = g_ptr_array_index (L->cat_labels, c);
      BbChartLabelBox box;

      if (label == NULL)
        continue;
      box.category = c;
      box.box.x = g_array_index (L->cat_x, double, c);
      box.box.y = L->cat_y;
      box.box.width = _bb_pdf_text_width (label);
      box.box.height = _bb_pdf_text_height (label);
      g_array_append_val (out, box);
    }
  if (rotated != NULL)
    *rotated = L->rotated;

  return out;
}
