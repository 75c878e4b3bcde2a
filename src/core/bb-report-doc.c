/* bb-report-doc.c — a report as a file: its chart and its table, PNG or PDF
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the reports page exports and `billbook-cli report --format png|pdf`
 * writes: the title, a note (the period), the chart drawn by bb-chart.c in
 * the light style, and the report's table under it. A PNG is one image
 * with the first rows; a PDF is A4 pages with every row, the headings
 * again at the top of each page, and the page number at the foot. Text
 * is laid out by Pango, Chinese with a Chinese language so fontconfig
 * takes the Simplified Chinese face, and drawn on paper through
 * _bb_pdf_show_layout() as bills are (cairo 1.16 loses parts of CJK
 * glyphs it subsets).
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "bb-invoice-pdf-private.h"
#include "bb-report-doc.h"
#include "bb-text.h"

/* ---- The table -------------------------------------------------------- */

struct _BbReportTable
{
  GPtrArray *headings;        /* char * */
  GArray    *numeric;         /* gboolean */
  GPtrArray *rows;            /* GStrv */
};

BbReportTable *
bb_report_table_new (void)
{
  BbReportTable *table = g_new0 (BbReportTable, 1);

  table->headings = g_ptr_array_new_with_free_func (g_free);
  table->numeric = g_array_new (FALSE, FALSE, sizeof (gboolean));
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  return table;
}

void
bb_report_table_free (BbReportTable *table)
{
  if (table == NULL)
    return;

  g_ptr_array_unref (table->headings);
  g_array_unref (table->numeric);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

void
bb_report_table_add_column (BbReportTable *table,
                            const char    *heading,
                            gboolean       numeric)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (table->rows->len == 0);

  g_ptr_array_add (table->headings, g_strdup (heading));
  g_array_append_val (table->numeric, numeric);
}

void
bb_report_table_add_row (BbReportTable      *table,
                         const char * const *cells)
{
  char **row;

  g_return_if_fail (table != NULL);
  g_return_if_fail (cells != NULL);

  row = g_new0 (char *, table->headings->len + 1);
  for (guint i = 0; i < table->headings->len; i++)
    row[i] = g_strdup (cells[i] ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
}

guint
bb_report_table_get_n_columns (BbReportTable *table)
{
  g_return_val_if_fail (table != NULL, 0);

  return table->headings->len;
}

guint
bb_report_table_get_n_rows (BbReportTable *table)
{
  g_return_val_if_fail (table != NULL, 0);

  return table->rows->len;
}

const char *
bb_report_table_get_heading (BbReportTable *table,
                             guint          column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column < table->headings->len, NULL);

  return g_ptr_array_index (table->headings, column);
}

const char *
bb_report_table_get_cell (BbReportTable *table,
                          guint          row,
                          guint          column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (row < table->rows->len && column < table->headings->len, NULL);

  return ((char **) g_ptr_array_index (table->rows, row))[column];
}

/* ---- The reports' tables ---------------------------------------------- */

static char *
percent_text (BbRate rate)
{
  g_autofree char *number = g_strdup_printf ("%.1f", (double) rate / 100.0);

  /* TRANSLATORS: a share in percent, "12.5%" */
  return g_strdup_printf (_("%s%%"), number);
}

BbReportTable *
bb_report_table_new_collections (GPtrArray        *rows,
                                 const BbCurrency *currency)
{
  BbReportTable *table = bb_report_table_new ();

  bb_report_table_add_column (table, _("Month"), FALSE);
  bb_report_table_add_column (table, _("Received"), TRUE);
  for (guint i = 0; i < rows->len; i++)
    {
      BbCollectionsRow *row = g_ptr_array_index (rows, i);
      g_autofree char *amount = bb_money_format (row->amount, currency);
      const char *cells[] = { row->month, amount };

      bb_report_table_add_row (table, cells);
    }

  return table;
}

BbReportTable *
bb_report_table_new_aging (GPtrArray        *rows,
                           const BbCurrency *currency)
{
  BbReportTable *table = bb_report_table_new ();

  bb_report_table_add_column (table, _("Code"), FALSE);
  bb_report_table_add_column (table, _("Customer"), FALSE);
  bb_report_table_add_column (table, _("Not yet due"), TRUE);
  bb_report_table_add_column (table, _("1–30 days"), TRUE);
  bb_report_table_add_column (table, _("31–60 days"), TRUE);
  bb_report_table_add_column (table, _("61–90 days"), TRUE);
  bb_report_table_add_column (table, _("Over 90 days"), TRUE);
  bb_report_table_add_column (table, _("Total"), TRUE);
  for (guint i = 0; i < rows->len; i++)
    {
      BbAgingRow *row = g_ptr_array_index (rows, i);
      g_autofree char *current = bb_money_format (row->current, currency);
      g_autofree char *d1_30 = bb_money_format (row->d1_30, currency);
      g_autofree char *d31_60 = bb_money_format (row->d31_60, currency);
      g_autofree char *d61_90 = bb_money_format (row->d61_90, currency);
      g_autofree char *d90_plus = bb_money_format (row->d90_plus, currency);
      g_autofree char *total = bb_money_format (row->total, currency);
      const char *cells[] = { row->customer_code, row->name, current, d1_30, d31_60, d61_90, d90_plus, total };

      bb_report_table_add_row (table, cells);
    }

  return table;
}

BbReportTable *
bb_report_table_new_methods (GPtrArray        *rows,
                             const BbCurrency *currency)
{
  BbReportTable *table = bb_report_table_new ();
  BbMoney total = 0;

  for (guint i = 0; i < rows->len; i++)
    total += ((BbMethodRow *) g_ptr_array_index (rows, i))->amount;

  bb_report_table_add_column (table, _("Method"), FALSE);
  bb_report_table_add_column (table, _("Payments"), TRUE);
  bb_report_table_add_column (table, _("Received"), TRUE);
  bb_report_table_add_column (table, _("Share"), TRUE);
  for (guint i = 0; i < rows->len; i++)
    {
      BbMethodRow *row = g_ptr_array_index (rows, i);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, row->count);
      g_autofree char *amount = bb_money_format (row->amount, currency);
      g_autofree char *share = total > 0
        ? percent_text ((BbRate) bb_div_round_half_away ((__int128) row->amount * BB_RATE_ONE_HUNDRED_PERCENT, total))
        : g_strdup ("—");
      const char *cells[] = { row->label, count, amount, share };

      bb_report_table_add_row (table, cells);
    }

  return table;
}

BbReportTable *
bb_report_table_new_top (GPtrArray        *rows,
                         BbTopBy           by,
                         const BbCurrency *currency)
{
  BbReportTable *table = bb_report_table_new ();

  bb_report_table_add_column (table, _("Code"), FALSE);
  bb_report_table_add_column (table, _("Customer"), FALSE);
  bb_report_table_add_column (table, by == BB_TOP_BY_BILLED ? _("Billed") : by == BB_TOP_BY_OWED ? _("Owed") : _("Paid"),
                              TRUE);
  for (guint i = 0; i < rows->len; i++)
    {
      BbTopRow *row = g_ptr_array_index (rows, i);
      g_autofree char *amount = bb_money_format (row->amount, currency);
      const char *cells[] = { row->customer_code, row->name, amount };

      bb_report_table_add_row (table, cells);
    }

  return table;
}

BbReportTable *
bb_report_table_new_classes (GPtrArray        *rows,
                             const BbCurrency *currency)
{
  BbReportTable *table = bb_report_table_new ();

  bb_report_table_add_column (table, _("Class"), FALSE);
  bb_report_table_add_column (table, _("Customers"), TRUE);
  bb_report_table_add_column (table, _("Share of customers"), TRUE);
  bb_report_table_add_column (table, _("Billed"), TRUE);
  bb_report_table_add_column (table, _("Share of billed"), TRUE);
  for (guint i = 0; i < rows->len; i++)
    {
      BbClassRow *row = g_ptr_array_index (rows, i);
      char klass[2] = { row->klass, '\0' };
      g_autofree char *customers = g_strdup_printf ("%" G_GINT64_FORMAT, row->customers);
      g_autofree char *customers_share = percent_text (row->customers_share);
      g_autofree char *billed = bb_money_format (row->billed, currency);
      g_autofree char *billed_share = percent_text (row->billed_share);
      const char *cells[] = { klass, customers, customers_share, billed, billed_share };

      bb_report_table_add_row (table, cells);
    }

  return table;
}

BbReportTable *
bb_report_table_new_liability (GPtrArray        *rows,
                               const BbCurrency *currency)
{
  BbReportTable *table = bb_report_table_new ();

  bb_report_table_add_column (table, _("Month"), FALSE);
  bb_report_table_add_column (table, _("Held on prepaid cards"), TRUE);
  for (guint i = 0; i < rows->len; i++)
    {
      BbLiabilityRow *row = g_ptr_array_index (rows, i);
      g_autofree char *balance = bb_money_format (row->balance, currency);
      const char *cells[] = { row->month, balance };

      bb_report_table_add_row (table, cells);
    }

  return table;
}

BbReportTable *
bb_report_table_new_on_time (GPtrArray *rows)
{
  BbReportTable *table = bb_report_table_new ();

  bb_report_table_add_column (table, _("Month due"), FALSE);
  bb_report_table_add_column (table, _("Bills due"), TRUE);
  bb_report_table_add_column (table, _("Paid on time"), TRUE);
  bb_report_table_add_column (table, _("Share"), TRUE);
  for (guint i = 0; i < rows->len; i++)
    {
      BbOnTimeRow *row = g_ptr_array_index (rows, i);
      g_autofree char *due = g_strdup_printf ("%" G_GINT64_FORMAT, row->due);
      g_autofree char *on_time = g_strdup_printf ("%" G_GINT64_FORMAT, row->on_time);
      g_autofree char *rate = row->due > 0 ? percent_text (row->rate) : g_strdup ("—");
      const char *cells[] = { row->month, due, on_time, rate };

      bb_report_table_add_row (table, cells);
    }

  return table;
}

char *
bb_report_period_note (const GDate *from,
                       const GDate *to)
{
  g_autofree char *first = from ? bb_date_to_iso (from) : NULL;
  g_autofree char *last = to ? bb_date_to_iso (to) : NULL;

  if (first && last)
    /* TRANSLATORS: the period of a report, "2025-12-01 to 2026-11-23" */
    return g_strdup_printf (_("%s to %s"), first, last);
  if (first)
    /* TRANSLATORS: the period of a report with no last day */
    return g_strdup_printf (C_("report period", "From %s"), first);
  if (last)
    /* TRANSLATORS: the period of a report with no first day */
    return g_strdup_printf (C_("report period", "Up to %s"), last);

  return g_strdup (_("All dates"));
}

/* ---- Drawing ---------------------------------------------------------- */

typedef struct
{
  double r, g, b;
} Rgb;

static const Rgb ink = { 0.12, 0.12, 0.12 };
static const Rgb dim = { 0.37, 0.36, 0.39 };
static const Rgb rule = { 0.82, 0.81, 0.80 };
static const Rgb stripe = { 0.965, 0.961, 0.957 };

/* How one kind of file is laid out, in its own units (pixels or points). */
typedef struct
{
  cairo_t      *cr;
  gboolean      paper;
  double        width;          /* of the image or page */
  double        height;         /* of a page; 0 for the image, as tall as needed */
  double        margin;
  double        chart_height;
  double        font_size;      /* table text, in points */
  double        dpi;
  PangoContext *context;        /* the locale's language */
  PangoContext *chinese;        /* Chinese text */
  /* the table */
  guint         n_columns;
  double       *column_x;
  double       *column_width;
  double        row_height;
  double        padding;        /* above and below text */
  double        gap;            /* left and right of a cell's text */
  double        natural_width;  /* of the table, every column as wide as it needs */
} Doc;

static void
doc_init (Doc     *doc,
          cairo_t *cr,
          gboolean paper,
          gboolean landscape)
{
  const char *chinese = _bb_pdf_chinese_of_locale ();

  memset (doc, 0, sizeof *doc);
  doc->cr = cr;
  doc->paper = paper;
  if (paper)
    {
      doc->width = landscape ? 842.0 : 595.0;     /* A4 in points */
      doc->height = landscape ? 595.0 : 842.0;
      doc->margin = 42.0;
      doc->chart_height = landscape ? 250.0 : 300.0;
      doc->font_size = 9.0;
      doc->dpi = 72.0;
    }
  else
    {
      doc->width = 1200.0;
      doc->height = 0.0;
      doc->margin = 32.0;
      doc->chart_height = 520.0;
      doc->font_size = 10.0;
      doc->dpi = 96.0;
    }
  doc->padding = doc->font_size * doc->dpi / 72.0 * 0.45;
  doc->gap = doc->font_size * doc->dpi / 72.0 * 0.8;
  doc->context = _bb_pdf_context_new (NULL, chinese ? pango_language_from_string (chinese) : NULL, doc->dpi);
  doc->chinese = _bb_pdf_context_new (NULL, pango_language_from_string (chinese ? chinese : "zh-cn"), doc->dpi);
}

static void
doc_clear (Doc *doc)
{
  g_clear_object (&doc->context);
  g_clear_object (&doc->chinese);
  g_clear_pointer (&doc->column_x, g_free);
  g_clear_pointer (&doc->column_width, g_free);
}

static PangoLayout *
text_new (Doc        *doc,
          const char *text,
          double      size,
          gboolean    bold)
{
  PangoLayout *layout = pango_layout_new (_bb_pdf_text_is_cjk (text) ? doc->chinese : doc->context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);

  return layout;
}

static void
set_rgb (cairo_t   *cr,
         const Rgb *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
}

static void
show (Doc         *doc,
      PangoLayout *layout,
      double       x,
      double       y,
      const Rgb   *color)
{
  set_rgb (doc->cr, color);
  cairo_move_to (doc->cr, x, y);
  if (doc->paper)
    _bb_pdf_show_layout (doc->cr, layout);
  else
    pango_cairo_show_layout (doc->cr, layout);
}

/* Columns: numbers as wide as their widest, text sharing what is left
 * (cut short with "…" when it does not fit). */
static void
doc_layout_table (Doc           *doc,
                  BbReportTable *table)
{
  double content = doc->width - 2 * doc->margin;
  double numbers = 0, texts = 0, x;
  guint sample = MIN (table->rows->len, 2000);
  g_autofree double *natural = NULL;
  g_autoptr(PangoLayout) probe = NULL;

  doc->n_columns = table->headings->len;
  natural = g_new0 (double, doc->n_columns);
  doc->column_x = g_new0 (double, doc->n_columns);
  doc->column_width = g_new0 (double, doc->n_columns);

  for (guint c = 0; c < doc->n_columns; c++)
    {
      g_autoptr(PangoLayout) heading = text_new (doc, g_ptr_array_index (table->headings, c), doc->font_size, TRUE);

      natural[c] = _bb_pdf_text_width (heading);
      for (guint r = 0; r < sample; r++)
        {
          g_autoptr(PangoLayout) cell = text_new (doc, ((char **) g_ptr_array_index (table->rows, r))[c],
                                                  doc->font_size, FALSE);

          natural[c] = MAX (natural[c], _bb_pdf_text_width (cell));
        }
      natural[c] += 2 * doc->gap;
      if (g_array_index (table->numeric, gboolean, c))
        numbers += natural[c];
      else
        texts += natural[c];
    }

  doc->natural_width = numbers + texts;

  /* Every column as wide as it needs; when that is too wide, the widest
   * text column (the names) gives way first, then every text column. */
  for (guint c = 0; c < doc->n_columns; c++)
    doc->column_width[c] = natural[c];
  if (numbers + texts > content && texts > 0)
    {
      double excess = numbers + texts - content;
      guint widest = 0;

      for (guint c = 0; c < doc->n_columns; c++)
        if (!g_array_index (table->numeric, gboolean, c) &&
            (g_array_index (table->numeric, gboolean, widest) || natural[c] > natural[widest]))
          widest = c;
      doc->column_width[widest] = MAX (natural[widest] - excess, natural[widest] * 0.4);
      excess -= natural[widest] - doc->column_width[widest];
      texts -= natural[widest] - doc->column_width[widest];
      for (guint c = 0; c < doc->n_columns && excess > 0; c++)
        if (!g_array_index (table->numeric, gboolean, c))
          doc->column_width[c] = MAX (doc->column_width[c] * (1.0 - excess / texts), 0);
    }
  else if (numbers + texts < content && doc->n_columns > 0)
    {
      /* The room left to the last text column, so the numbers end at
       * the right margin. */
      guint last = 0;

      for (guint c = 0; c < doc->n_columns; c++)
        if (!g_array_index (table->numeric, gboolean, c))
          last = c;
      doc->column_width[last] += content - numbers - texts;
    }

  x = doc->margin;
  for (guint c = 0; c < doc->n_columns; c++)
    {
      doc->column_x[c] = x;
      x += doc->column_width[c];
    }

  probe = text_new (doc, "Ag 年", doc->font_size, FALSE);
  doc->row_height = ceil (_bb_pdf_text_height (probe) + 2 * doc->padding);
}

static double
doc_table_width (Doc *doc)
{
  return doc->natural_width;
}

static void
draw_cell (Doc           *doc,
           BbReportTable *table,
           guint          column,
           const char    *text,
           double         y,
           gboolean       bold,
           const Rgb     *color)
{
  g_autoptr(PangoLayout) layout = text_new (doc, text, doc->font_size, bold);
  double room = doc->column_width[column] - 2 * doc->gap;
  double x = doc->column_x[column] + doc->gap;
  double w;

  if (room <= 0)
    return;
  pango_layout_set_width (layout, (int) ceil ((room + 1) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  w = _bb_pdf_text_width (layout);
  if (g_array_index (table->numeric, gboolean, column))
    x += room - MIN (w, room);
  show (doc, layout, x, y + (doc->row_height - _bb_pdf_text_height (layout)) / 2, color);
}

static void
draw_rule (Doc       *doc,
           double     y,
           double     width,
           const Rgb *color)
{
  set_rgb (doc->cr, color);
  cairo_set_line_width (doc->cr, width);
  cairo_move_to (doc->cr, doc->margin, y);
  cairo_line_to (doc->cr, doc->width - doc->margin, y);
  cairo_stroke (doc->cr);
}

/* The headings at @y; returns where the first row goes. */
static double
draw_headings (Doc           *doc,
               BbReportTable *table,
               double         y)
{
  for (guint c = 0; c < doc->n_columns; c++)
    draw_cell (doc, table, c, g_ptr_array_index (table->headings, c), y, TRUE, &ink);
  y += doc->row_height;
  draw_rule (doc, y, doc->paper ? 0.8 : 1.0, &ink);

  return y;
}

static void
draw_row (Doc           *doc,
          BbReportTable *table,
          guint          row,
          double         y)
{
  char **cells = g_ptr_array_index (table->rows, row);

  if (row % 2 == 1)
    {
      set_rgb (doc->cr, &stripe);
      cairo_rectangle (doc->cr, doc->margin, y, doc->width - 2 * doc->margin, doc->row_height);
      cairo_fill (doc->cr);
    }
  for (guint c = 0; c < doc->n_columns; c++)
    draw_cell (doc, table, c, cells[c], y, FALSE, &ink);
}

/* The title, the note and the chart from @y; returns where they end. */
static double
draw_head (Doc        *doc,
           BbChart    *chart,
           const char *note,
           double      y)
{
  const char *title = bb_chart_get_title (chart);
  BbChartStyle style;

  if (title != NULL)
    {
      g_autoptr(PangoLayout) layout = text_new (doc, title, doc->font_size * 1.5, TRUE);

      show (doc, layout, doc->margin, y, &ink);
      y += _bb_pdf_text_height (layout) + doc->padding;
    }
  if (note != NULL && *note != '\0')
    {
      g_autoptr(PangoLayout) layout = text_new (doc, note, doc->font_size, FALSE);

      show (doc, layout, doc->margin, y, &dim);
      y += _bb_pdf_text_height (layout);
    }
  y += 2 * doc->padding;

  /* The light style prints well; the chart's text the size of the table's
   * (the chart counts points at 96 dpi, as GTK does). */
  bb_chart_style_init_default (&style, FALSE);
  style.background.alpha = 0;
  style.show_title = FALSE;
  style.font_size = doc->font_size * doc->dpi / 96.0;
  cairo_save (doc->cr);
  cairo_translate (doc->cr, doc->margin, y);
  bb_chart_draw (chart, &style, doc->cr, doc->width - 2 * doc->margin, doc->chart_height);
  cairo_restore (doc->cr);

  return y + doc->chart_height + 3 * doc->padding;
}

static gboolean
status_error (cairo_status_t   status,
              const char      *path,
              GError         **error)
{
  g_autofree char *name = NULL;

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  name = g_filename_display_name (path);
  g_set_error (error, BB_CHART_ERROR, BB_CHART_ERROR_FAILED,
               _("Could not write the chart to “%s”: %s"), name, cairo_status_to_string (status));
  return FALSE;
}

/* The file, empty and readable by its owner only, as every file Billbook
 * writes of the book's data is: cairo then writes into it as it is. */
static gboolean
prepare_file (const char  *path,
              GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int saved_errno = errno;

  if (fd < 0 || g_chmod (path, 0600) < 0)
    {
      g_autofree char *name = g_filename_display_name (path);

      if (fd >= 0)
        {
          saved_errno = errno;
          close (fd);
        }
      g_set_error (error, BB_CHART_ERROR, BB_CHART_ERROR_FAILED,
                   _("Could not write the chart to “%s”: %s"), name, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  return TRUE;
}

/* How tall the head is, drawn nowhere. */
static double
measure_head (Doc        *doc,
              BbChart    *chart,
              const char *note)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  cairo_t *saved = doc->cr;
  double end;

  doc->cr = cr;
  end = draw_head (doc, chart, note, 0);
  doc->cr = saved;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  return end;
}

/**
 * bb_report_write_png:
 * @note: (nullable): a line under the title
 *
 * Writes the chart and the first %BB_REPORT_PNG_ROWS rows of @table to a
 * PNG 1200 pixels wide.
 */
gboolean
bb_report_write_png (BbChart        *chart,
                     BbReportTable  *table,
                     const char     *note,
                     const char     *path,
                     GError        **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  g_autofree char *more = NULL;
  guint shown;
  double height, y;
  Doc doc;

  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!prepare_file (path, error))
    return FALSE;

  doc_init (&doc, NULL, FALSE, FALSE);
  doc_layout_table (&doc, table);
  shown = MIN (table->rows->len, BB_REPORT_PNG_ROWS);
  if (table->rows->len > shown)
    more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "…and %u more row; the CSV and the PDF list every row",
                                         "…and %u more rows; the CSV and the PDF list every row",
                                         table->rows->len - shown),
                            table->rows->len - shown);

  height = doc.margin + measure_head (&doc, chart, note);
  if (table->rows->len > 0)
    height += doc.row_height * (shown + 1) + (more ? doc.row_height : 0);
  height += doc.margin;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) doc.width, (int) ceil (height));
  doc.cr = cairo_create (surface);
  cairo_set_source_rgb (doc.cr, 1, 1, 1);
  cairo_paint (doc.cr);

  y = draw_head (&doc, chart, note, doc.margin);
  if (table->rows->len > 0)
    {
      y = draw_headings (&doc, table, y);
      for (guint r = 0; r < shown; r++, y += doc.row_height)
        draw_row (&doc, table, r, y);
      draw_rule (&doc, y, 1.0, &rule);
      if (more)
        {
          g_autoptr(PangoLayout) layout = text_new (&doc, more, doc.font_size, FALSE);

          show (&doc, layout, doc.margin, y + doc.padding, &dim);
        }
    }

  cairo_surface_flush (surface);
  status = cairo_status (doc.cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png (surface, path);
  cairo_destroy (doc.cr);
  cairo_surface_destroy (surface);
  doc.cr = NULL;
  doc_clear (&doc);

  return status_error (status, path, error);
}

static void
draw_page_number (Doc   *doc,
                  guint  page,
                  guint  n_pages)
{
  /* TRANSLATORS: at the foot of each page of a report */
  g_autofree char *text = g_strdup_printf (_("Page %u of %u"), page, n_pages);
  g_autoptr(PangoLayout) layout = text_new (doc, text, doc->font_size * 0.85, FALSE);

  show (doc, layout, doc->width - doc->margin - _bb_pdf_text_width (layout),
        doc->height - doc->margin + doc->padding, &dim);
}

/**
 * bb_report_write_pdf:
 * @note: (nullable): a line under the title
 *
 * Writes the chart and every row of @table to an A4 PDF.
 */
gboolean
bb_report_write_pdf (BbChart        *chart,
                     BbReportTable  *table,
                     const char     *note,
                     const char     *path,
                     GError        **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  double head, bottom, y;
  guint first_page_rows, page_rows, n_pages, row, page;
  const char *title;
  Doc doc;

  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!prepare_file (path, error))
    return FALSE;

  doc_init (&doc, NULL, TRUE, FALSE);
  doc_layout_table (&doc, table);
  /* A table too wide for the page goes across it. */
  if (doc_table_width (&doc) > doc.width - 2 * doc.margin + 0.5)
    {
      doc_clear (&doc);
      doc_init (&doc, NULL, TRUE, TRUE);
      doc_layout_table (&doc, table);
    }
  head = doc.margin + measure_head (&doc, chart, note);
  bottom = doc.height - doc.margin;

  /* Rows under the headings on the first page, then on each next one. */
  first_page_rows = (guint) MAX (0.0, floor ((bottom - head) / doc.row_height) - 1);
  page_rows = (guint) MAX (1.0, floor ((bottom - doc.margin) / doc.row_height) - 1);
  n_pages = 1;
  if (table->rows->len > first_page_rows)
    n_pages += (table->rows->len - first_page_rows + page_rows - 1) / page_rows;

  surface = cairo_pdf_surface_create (path, doc.width, doc.height);
  title = bb_chart_get_title (chart);
  if (title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Billbook");
  doc.cr = cairo_create (surface);

  draw_head (&doc, chart, note, doc.margin);
  y = head;
  row = 0;
  for (page = 1; page <= n_pages; page++)
    {
      guint rows = page == 1 ? first_page_rows : page_rows;

      if (page > 1)
        {
          cairo_show_page (doc.cr);
          y = doc.margin;
        }
      if (table->rows->len > 0 && row < table->rows->len && rows > 0)
        {
          y = draw_headings (&doc, table, y);
          for (guint i = 0; i < rows && row < table->rows->len; i++, row++, y += doc.row_height)
            draw_row (&doc, table, row, y);
          draw_rule (&doc, y, 0.5, &rule);
        }
      if (n_pages > 1)
        draw_page_number (&doc, page, n_pages);
    }

  status = cairo_status (doc.cr);
  cairo_destroy (doc.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  doc.cr = NULL;
  doc_clear (&doc);

  return status_error (status, path, error);
}
