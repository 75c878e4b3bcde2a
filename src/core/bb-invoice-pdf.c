/* bb-invoice-pdf.c — a bill laid out on paper: PDF, printing, amount in words
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bill is laid out once into pages of placed blocks (the header, the
 * line table's rows, the totals, the payment block), then each page is
 * drawn on any cairo_t in points: a PDF surface here, the print context's
 * surface in the window. All text is PangoLayout, so the PDF holds real,
 * searchable text. Text that is Chinese, or a bill printed by someone
 * reading Chinese, gets the Pango language zh-cn so fontconfig picks the
 * Simplified Chinese face (Noto Sans CJK SC) rather than the Japanese one.
 *
 * Only this bill is read: its customer by id, the business details and
 * a few settings. Nothing here scans a table.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-invoice-pdf.h"
#include "bb-invoice-pdf-private.h"

/* ------------------------------------------------------------------ */
/* Page geometry and looks, in points                                  */

#define MM              (72.0 / 25.4)
#define MARGIN          (18.0 * MM)
#define FOOTER_HEIGHT   20.0
#define LOGO_HEIGHT     (25.0 * MM)
#define LOGO_MAX_WIDTH  (60.0 * MM)
#define QR_SIZE         (30.0 * MM)
/* Images are kept at no more than this resolution in the PDF. */
#define IMAGE_MAX_DPI   300.0
#define CELL_PAD_X      5.0
#define CELL_PAD_Y      3.5
#define BLOCK_GAP       16.0
/* Noto Sans CJK's own line height, in ems */

typedef struct
{
  double r, g, b;
} Rgb;

static const Rgb INK         = { 0.11, 0.12, 0.14 };
static const Rgb MUTED       = { 0.37, 0.40, 0.44 };
static const Rgb ACCENT      = { 0.11, 0.29, 0.46 };
static const Rgb HEADER_FILL = { 0.89, 0.92, 0.955 };
static const Rgb SHADE       = { 0.963, 0.968, 0.975 };
static const Rgb RULE        = { 0.76, 0.79, 0.83 };
static const Rgb VOID_RED    = { 0.78, 0.12, 0.12 };

typedef enum
{
  STYLE_BODY,
  STYLE_BODY_BOLD,
  STYLE_SMALL,
  STYLE_FOOTER,
  STYLE_LABEL,          /* small, bold, upper case, spaced: BILL TO */
  STYLE_COLUMN,         /* the line table's header */
  STYLE_BUSINESS,
  STYLE_TITLE,
  STYLE_CUSTOMER,
  STYLE_TOTAL,
  STYLE_DUE_AMOUNT,
  STYLE_WATERMARK,
  N_STYLES
} TextStyle;

static const struct
{
  double   size;
  gboolean bold;
  gboolean caps;
  double   spacing;        /* letter spacing, points */
} styles[N_STYLES] = {
  [STYLE_BODY]       = {  9.0, FALSE, FALSE, 0 },
  [STYLE_BODY_BOLD]  = {  9.0, TRUE,  FALSE, 0 },
  [STYLE_SMALL]      = {  8.5, FALSE, FALSE, 0 },
  [STYLE_FOOTER]     = {  7.5, FALSE, FALSE, 0 },
  [STYLE_LABEL]      = {  7.0, TRUE,  TRUE,  0.6 },
  [STYLE_COLUMN]     = {  7.5, TRUE,  TRUE,  0.4 },
  [STYLE_BUSINESS]   = { 16.0, TRUE,  FALSE, 0 },
  [STYLE_TITLE]      = { 21.0, TRUE,  TRUE,  1.5 },
  [STYLE_CUSTOMER]   = { 10.5, TRUE,  FALSE, 0 },
  [STYLE_TOTAL]      = { 10.5, TRUE,  FALSE, 0 },
  [STYLE_DUE_AMOUNT] = { 15.0, TRUE,  FALSE, 0 },
  [STYLE_WATERMARK]  = { 96.0, TRUE,  TRUE,  6.0 },
};

enum
{
  COL_POSITION,
  COL_DESCRIPTION,
  COL_QUANTITY,
  COL_UNIT_PRICE,
  COL_DISCOUNT,
  COL_TAX,
  COL_AMOUNT,
  N_COLUMNS
};

typedef struct
{
  PangoLayout *cells[N_COLUMNS];
  double       baseline;        /* from the row's top padding */
  double       height;          /* with padding */
} Row;

typedef enum
{
  ITEM_FIRST_HEADER,
  ITEM_CONTINUED_HEADER,
  ITEM_TABLE_HEADER,
  ITEM_ROW,
  ITEM_TABLE_END,
  ITEM_CLOSING,
  ITEM_PAYMENT,
} ItemKind;

typedef struct
{
  ItemKind kind;
  guint    index;
  double   y;
} Item;

typedef struct
{
  PangoLayout *label;
  PangoLayout *value;
  gboolean     strong;        /* Total: rule above, bigger */
  gboolean     highlight;     /* Balance due: shaded */
} TotalRow;

struct _BbInvoiceLayout
{
  PangoContext    *context;       /* 72 dpi, unhinted, the document's language */
  PangoContext    *context_cjk;   /* the same, language Chinese */
  PangoFontDescription *fonts[N_STYLES];

  double           page_width;
  double           page_height;
  double           left;
  double           right;
  double           top;
  double           body_bottom;   /* where the footer begins */

  char            *title;         /* "Invoice INV-2026-0001" */
  char            *number;        /* for the footer; "" on drafts */

  /* First page header */
  PangoLayout     *business_name;
  PangoLayout     *business_details;
  cairo_surface_t *logo;
  double           logo_scale;
  PangoLayout     *doc_title;
  PangoLayout     *doc_status;    /* "Void: reason", or NULL */
  PangoLayout     *bill_to_label;
  PangoLayout     *customer_name;
  PangoLayout     *customer_details;
  GPtrArray       *meta_labels;
  GPtrArray       *meta_values;
  PangoLayout     *due_label;
  PangoLayout     *due_amount;

  /* Later pages */
  PangoLayout     *continued_left;
  PangoLayout     *continued_right;

  /* Line table */
  PangoLayout     *column_titles[N_COLUMNS];
  double           column_x[N_COLUMNS];
  double           column_width[N_COLUMNS];
  double           table_header_height;
  GArray          *rows;          /* Row */

  /* After the table */
  GArray          *totals;        /* TotalRow */
  double           totals_width;
  PangoLayout     *words_label;
  PangoLayout     *words;
  PangoLayout     *notes_label;
  PangoLayout     *notes;

  PangoLayout     *payment_label;
  PangoLayout     *payment_text;
  cairo_surface_t *qr;
  double           qr_scale;
  PangoLayout     *qr_caption;

  PangoLayout     *watermark;
  gboolean         watermark_void;

  GPtrArray       *pages;         /* GArray of Item, one per page */
};

/* ------------------------------------------------------------------ */
/* Options                                                             */

static const struct
{
  const char *name;
  double      width;
  double      height;
} papers[] = {
  [BB_PAPER_A4]     = { "a4",     210.0 * MM, 297.0 * MM },
  [BB_PAPER_LETTER] = { "letter", 612.0,      792.0 },
};

/**
 * bb_paper_size_from_string:
 * @text: "a4" or "letter", in any case
 *
 * Returns: %FALSE, leaving @paper untouched, for anything else
 */
gboolean
bb_paper_size_from_string (const char  *text,
                           BbPaperSize *paper)
{
  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    if (text != NULL && g_ascii_strcasecmp (text, papers[i].name) == 0)
      {
        *paper = (BbPaperSize) i;
        return TRUE;
      }

  return FALSE;
}

const char *
bb_paper_size_to_string (BbPaperSize paper)
{
  g_return_val_if_fail (paper < G_N_ELEMENTS (papers), NULL);

  return papers[paper].name;
}

void
bb_paper_size_get_size (BbPaperSize  paper,
                        double      *width_pt,
                        double      *height_pt)
{
  g_return_if_fail (paper < G_N_ELEMENTS (papers));

  if (width_pt)
    *width_pt = papers[paper].width;
  if (height_pt)
    *height_pt = papers[paper].height;
}

/**
 * bb_invoice_pdf_options_from_settings:
 *
 * Fills @options from the book's settings "billing.paper" and
 * "billing.amount_in_words"; A4 and no words where they are unset or
 * not understood.
 */
void
bb_invoice_pdf_options_from_settings (BbDb                *db,
                                      BbInvoicePdfOptions *options)
{
  g_autofree char *paper = NULL;
  g_autofree char *words = NULL;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (options != NULL);

  options->paper = BB_PAPER_A4;
  options->amount_in_words = FALSE;

  paper = bb_db_get_setting (db, "billing.paper");
  if (paper != NULL && !bb_paper_size_from_string (paper, &options->paper))
    g_debug ("billing.paper: “%s” is not a paper size; using A4", paper);

  words = bb_db_get_setting (db, "billing.amount_in_words");
  options->amount_in_words = (words != NULL && g_strcmp0 (g_strstrip (words), "1") == 0);
}

/* ------------------------------------------------------------------ */
/* Amounts in words                                                    */

static const char * const cn_digits[] = {
  "零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖",
};

/* 1 … 9999, with a single 零 for any run of zeros between digits. */
static void
cn_append_group (GString *out,
                 guint    n)
{
  static const char * const units[] = { "", "拾", "佰", "仟" };
  static const guint powers[] = { 1, 10, 100, 1000 };
  gboolean started = FALSE;
  gboolean zero = FALSE;

  for (int p = 3; p >= 0; p--)
    {
      guint digit = (n / powers[p]) % 10;

      if (digit == 0)
        {
          zero = started;
          continue;
        }

      if (zero)
        g_string_append (out, cn_digits[0]);
      zero = FALSE;
      started = TRUE;
      g_string_append (out, cn_digits[digit]);
      g_string_append (out, units[p]);
    }
}

/* n > 0. 亿 over 万 over groups of four digits; a gap in the digits below
 * a 亿 or 万 is read as one 零: 壹万零壹拾, 壹亿零壹万. */
static void
cn_append_number (GString *out,
                  guint64  n)
{
  const guint64 yi = G_GUINT64_CONSTANT (100000000);

  if (n >= yi)
    {
      guint64 low = n % yi;

      cn_append_number (out, n / yi);
      g_string_append (out, "亿");
      if (low > 0)
        {
          if (low < yi / 10)
            g_string_append (out, cn_digits[0]);
          cn_append_number (out, low);
        }
    }
  else if (n >= 10000)
    {
      guint low = (guint) (n % 10000);

      cn_append_group (out, (guint) (n / 10000));
      g_string_append (out, "万");
      if (low > 0)
        {
          if (low < 1000)
            g_string_append (out, cn_digits[0]);
          cn_append_group (out, low);
        }
    }
  else
    {
      cn_append_group (out, (guint) n);
    }
}

static guint64
magnitude_of (BbMoney amount)
{
  return amount < 0 ? (guint64) 0 - (guint64) amount : (guint64) amount;
}

/**
 * bb_money_to_chinese_uppercase:
 * @amount: an amount of renminbi in fen
 *
 * Writes @amount in the uppercase financial numerals (大写) that Chinese
 * banks and receipts require: 0.00 零元整, 0.05 伍分, 10.50 壹拾元伍角整,
 * 1234.56 壹仟贰佰叁拾肆元伍角陆分, 10010.01 壹万零壹拾元零壹分;
 * a negative amount begins with 负.
 *
 * Returns: (transfer full): the words
 */
char *
bb_money_to_chinese_uppercase (BbMoney amount)
{
  GString *out = g_string_new (NULL);
  guint64 magnitude = magnitude_of (amount);
  guint64 yuan = magnitude / 100;
  guint jiao = (guint) (magnitude / 10 % 10);
  guint fen = (guint) (magnitude % 10);

  if (amount < 0)
    g_string_append (out, "负");

  if (yuan > 0)
    {
      cn_append_number (out, yuan);
      g_string_append (out, "元");
    }

  if (jiao == 0 && fen == 0)
    {
      if (yuan == 0)
        g_string_append (out, "零元");
      g_string_append (out, "整");
    }
  else
    {
      if (jiao > 0)
        {
          g_string_append (out, cn_digits[jiao]);
          g_string_append (out, "角");
        }
      else if (yuan > 0)
        {
          g_string_append (out, cn_digits[0]);
        }

      if (fen > 0)
        {
          g_string_append (out, cn_digits[fen]);
          g_string_append (out, "分");
        }
      else
        {
          g_string_append (out, "整");
        }
    }

  return g_string_free (out, FALSE);
}

static const char * const en_ones[] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
  "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
  "sixteen", "seventeen", "eighteen", "nineteen",
};

static const char * const en_tens[] = {
  "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
  "eighty", "ninety",
};

/* 1 … 999 */
static void
en_append_hundreds (GString *out,
                    guint    n)
{
  if (n >= 100)
    {
      g_string_append_printf (out, "%s hundred", en_ones[n / 100]);
      n %= 100;
      if (n > 0)
        g_string_append_c (out, ' ');
    }

  if (n >= 20)
    {
      g_string_append (out, en_tens[n / 10]);
      if (n % 10 > 0)
        g_string_append_printf (out, "-%s", en_ones[n % 10]);
    }
  else if (n > 0)
    {
      g_string_append (out, en_ones[n]);
    }
}

static void
en_append_number (GString *out,
                  guint64  n)
{
  static const char * const scales[] = {
    "", " thousand", " million", " billion", " trillion", " quadrillion", " quintillion",
  };
  guint groups[G_N_ELEMENTS (scales)];
  gboolean first = TRUE;
  int n_groups = 0;

  if (n == 0)
    {
      g_string_append (out, en_ones[0]);
      return;
    }

  while (n > 0)
    {
      groups[n_groups++] = (guint) (n % 1000);
      n /= 1000;
    }

  for (int i = n_groups - 1; i >= 0; i--)
    {
      if (groups[i] == 0)
        continue;
      if (!first)
        g_string_append_c (out, ' ');
      en_append_hundreds (out, groups[i]);
      g_string_append (out, scales[i]);
      first = FALSE;
    }
}

static const struct
{
  const char *code;
  const char *major_one;
  const char *major_many;
  const char *minor_one;
  const char *minor_many;
} currency_words[] = {
  { "CNY", "yuan", "yuan", "fen", "fen" },
  { "USD", "US dollar", "US dollars", "cent", "cents" },
  { "EUR", "euro", "euros", "cent", "cents" },
  { "GBP", "pound", "pounds", "penny", "pence" },
  { "JPY", "yen", "yen", NULL, NULL },
  { "HKD", "Hong Kong dollar", "Hong Kong dollars", "cent", "cents" },
  { "TWD", "New Taiwan dollar", "New Taiwan dollars", "cent", "cents" },
  { "SGD", "Singapore dollar", "Singapore dollars", "cent", "cents" },
  { "MOP", "pataca", "patacas", "avo", "avos" },
  { "KRW", "won", "won", NULL, NULL },
  { "AUD", "Australian dollar", "Australian dollars", "cent", "cents" },
  { "CAD", "Canadian dollar", "Canadian dollars", "cent", "cents" },
  { "CHF", "Swiss franc", "Swiss francs", "centime", "centimes" },
};

/**
 * bb_money_to_words:
 * @amount: an amount in minor units
 * @currency: (nullable): its currency; %NULL for the default
 *
 * Writes @amount in words: in 大写 for renminbi (see
 * bb_money_to_chinese_uppercase()), in English otherwise: "One thousand
 * two hundred thirty-four US dollars and fifty-six cents", "Minus five
 * euros", "Twelve yen".
 *
 * Returns: (transfer full): the words
 */
char *
bb_money_to_words (BbMoney           amount,
                   const BbCurrency *currency)
{
  static const guint64 powers[] = { 1, 10, 100, 1000, 10000 };
  GString *out;
  guint64 magnitude = magnitude_of (amount);
  guint64 scale;
  guint64 major;
  guint64 minor;
  const char *major_one = NULL;
  const char *major_many = NULL;
  const char *minor_one = NULL;
  const char *minor_many = NULL;

  if (currency == NULL)
    currency = bb_currency_get_default ();

  if (g_strcmp0 (currency->code, "CNY") == 0)
    return bb_money_to_chinese_uppercase (amount);

  g_return_val_if_fail (currency->digits < G_N_ELEMENTS (powers), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (currency_words); i++)
    if (g_strcmp0 (currency_words[i].code, currency->code) == 0)
      {
        major_one = currency_words[i].major_one;
        major_many = currency_words[i].major_many;
        minor_one = currency_words[i].minor_one;
        minor_many = currency_words[i].minor_many;
      }
  if (major_one == NULL)
    major_one = major_many = currency->code;

  scale = powers[currency->digits];
  major = magnitude / scale;
  minor = magnitude % scale;

  out = g_string_new (amount < 0 ? "minus " : "");

  if (major > 0 || minor == 0)
    {
      en_append_number (out, major);
      g_string_append_printf (out, " %s", major == 1 ? major_one : major_many);
    }

  if (minor > 0)
    {
      if (major > 0)
        g_string_append (out, " and ");
      if (minor_one != NULL && currency->digits == 2)
        {
          en_append_number (out, minor);
          g_string_append_printf (out, " %s", minor == 1 ? minor_one : minor_many);
        }
      else
        {
          g_string_append_printf (out, "%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, minor, scale);
          if (major == 0)
            g_string_append_printf (out, " %s", major_one);
        }
    }

  out->str[0] = g_ascii_toupper (out->str[0]);

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

gboolean
_bb_pdf_text_is_cjk (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x2E80)
        continue;

      switch (g_unichar_get_script (c))
        {
        case G_UNICODE_SCRIPT_HAN:
        case G_UNICODE_SCRIPT_HIRAGANA:
        case G_UNICODE_SCRIPT_KATAKANA:
        case G_UNICODE_SCRIPT_HANGUL:
        case G_UNICODE_SCRIPT_BOPOMOFO:
          return TRUE;
        default:
          /* CJK punctuation and fullwidth forms: ，。：（） */
          if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF))
            return TRUE;
          break;
        }
    }

  return FALSE;
}

/* The Chinese the reader reads, if they read Chinese: zh-cn, or zh-tw /
 * zh-hk for a traditional-character locale; NULL otherwise. */
const char *
_bb_pdf_chinese_of_locale (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = names[i];

      if (g_ascii_strcasecmp (name, "C") == 0 || g_ascii_strcasecmp (name, "POSIX") == 0)
        continue;
      if (g_ascii_strncasecmp (name, "zh", 2) != 0)
        return NULL;
      if (g_ascii_strncasecmp (name, "zh_TW", 5) == 0 || g_ascii_strncasecmp (name, "zh_Hant", 7) == 0)
        return "zh-tw";
      if (g_ascii_strncasecmp (name, "zh_HK", 5) == 0 || g_ascii_strncasecmp (name, "zh_MO", 5) == 0)
        return "zh-hk";
      return "zh-cn";
    }

  return NULL;
}

PangoContext *
_bb_pdf_context_new (PangoFontMap  *font_map,
                     PangoLanguage *language,
                     double         dpi)
{
  PangoContext *context = pango_font_map_create_context (font_map != NULL ? font_map
                                                                          : pango_cairo_font_map_get_default ());
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Laid out once, drawn on paper (or in a PNG) at any scale: no hinting. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);

  pango_cairo_context_set_resolution (context, dpi);
  pango_context_set_round_glyph_positions (context, FALSE);
  if (language != NULL)
    pango_context_set_language (context, language);

  return context;
}

static PangoLayout *
text_new (BbInvoiceLayout *self,
          const char      *text,
          TextStyle        style,
          double           wrap_width)
{
  PangoContext *context = _bb_pdf_text_is_cjk (text) ? self->context_cjk : self->context;
  PangoLayout *layout = pango_layout_new (context);

  pango_layout_set_font_description (layout, self->fonts[style]);

  if (styles[style].caps || styles[style].spacing > 0 || context == self->context_cjk)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      /* Chinese lines are taller than Latin ones: give every line of a
       * Chinese text the same height, so a Latin line among them (a
       * phone number under an address) keeps the rhythm. */
      if (context == self->context_cjk && style != STYLE_WATERMARK)
        pango_attr_list_insert (attrs, pango_attr_line_height_new_absolute ((int) (styles[style].size * BB_PDF_CJK_LINE * PANGO_SCALE)));

      if (styles[style].caps)
        pango_attr_list_insert (attrs, pango_attr_text_transform_new (PANGO_TEXT_TRANSFORM_UPPERCASE));
      if (styles[style].spacing > 0)
        pango_attr_list_insert (attrs, pango_attr_letter_spacing_new ((int) (styles[style].spacing * PANGO_SCALE)));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }

  if (wrap_width > 0)
    {
      pango_layout_set_width (layout, (int) (wrap_width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }

  pango_layout_set_text (layout, text, -1);

  return layout;
}

PangoLayout *
_bb_pdf_layout_new (PangoContext *context,
                    gboolean      cjk,
                    const char   *text,
                    double        size,
                    gboolean      bold,
                    double        width)
{
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *font = pango_font_description_from_string (BB_PDF_FONT_FAMILY);

  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  if (cjk)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_line_height_new_absolute ((int) (size * BB_PDF_CJK_LINE * PANGO_SCALE)));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }

  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  else if (width < 0)
    {
      pango_layout_set_width (layout, (int) (-width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_set_text (layout, text ? text : "", -1);

  return layout;
}

double
_bb_pdf_text_width (PangoLayout *layout)
{
  PangoRectangle logical;

  if (layout == NULL)
    return 0;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

double
_bb_pdf_text_height (PangoLayout *layout)
{
  PangoRectangle logical;

  if (layout == NULL)
    return 0;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

static double
text_baseline (PangoLayout *layout)
{
  return (double) pango_layout_get_baseline (layout) / PANGO_SCALE;
}

/* Keeps a wrapped text within @max_height, ending it with “…”. */
static void
text_limit_height (PangoLayout *layout,
                   double       max_height)
{
  if (_bb_pdf_text_height (layout) <= max_height)
    return;

  pango_layout_set_height (layout, (int) (MAX (max_height, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
}

static void
set_color (cairo_t   *cr,
           const Rgb *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
}

/* ------------------------------------------------------------------ */
/* Chinese glyphs as outlines                                          */

/* cairo 1.16 (Debian 12) empties parts of some glyphs of CFF-based CJK
 * fonts, Noto Sans CJK among them, when it subsets them into a PDF: its
 * charstring parser miscounts the hint mask of a glyph whose first
 * hintmask follows path operators, misses the subroutine called after
 * it, and writes that subroutine as a bare return. 如 loses its 口, and
 * which characters suffer depends on what else is on the bill.
 *
 * So glyphs of fonts that cover Chinese are shown through a cairo user
 * font whose glyphs fill the real font's outlines: a Type 3 font in the
 * PDF, still text, with its Unicode mapping, found by pdftotext and by
 * search. Everything else goes through pango-cairo as usual. */

static const cairo_user_data_key_t outline_real_face_key;

G_LOCK_DEFINE_STATIC (outline_faces);
static GHashTable *outline_faces;     /* real cairo_font_face_t → user face */

static cairo_font_face_t *
outline_real_face (cairo_scaled_font_t *scaled_font)
{
  return cairo_font_face_get_user_data (cairo_scaled_font_get_font_face (scaled_font),
                                        &outline_real_face_key);
}

/* Font space, 1 unit to the em, unhinted: the outlines as designed. */
static void
outline_set_real_font (cairo_t           *cr,
                       cairo_font_face_t *real)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);
  cairo_set_font_face (cr, real);
  cairo_set_font_size (cr, 1.0);
}

static cairo_status_t
outline_init (cairo_scaled_font_t  *scaled_font,
              cairo_t              *cr,
              cairo_font_extents_t *extents)
{
  outline_set_real_font (cr, outline_real_face (scaled_font));
  cairo_font_extents (cr, extents);

  return cairo_status (cr);
}

static cairo_status_t
outline_render_glyph (cairo_scaled_font_t  *scaled_font,
                      unsigned long         glyph,
                      cairo_t              *cr,
                      cairo_text_extents_t *extents)
{
  cairo_glyph_t real_glyph = { glyph, 0, 0 };

  outline_set_real_font (cr, outline_real_face (scaled_font));
  cairo_glyph_extents (cr, &real_glyph, 1, extents);
  cairo_glyph_path (cr, &real_glyph, 1);
  cairo_fill (cr);

  return cairo_status (cr);
}

static cairo_font_face_t *
outline_face_for (cairo_font_face_t *real)
{
  cairo_font_face_t *face;

  G_LOCK (outline_faces);

  if (outline_faces == NULL)
    outline_faces = g_hash_table_new_full (NULL, NULL,
                                           (GDestroyNotify) cairo_font_face_destroy,
                                           (GDestroyNotify) cairo_font_face_destroy);

  face = g_hash_table_lookup (outline_faces, real);
  if (face == NULL)
    {
      face = cairo_user_font_face_create ();
      cairo_user_font_face_set_init_func (face, outline_init);
      cairo_user_font_face_set_render_glyph_func (face, outline_render_glyph);
      cairo_font_face_set_user_data (face, &outline_real_face_key,
                                     cairo_font_face_reference (real),
                                     (cairo_destroy_func_t) cairo_font_face_destroy);
      g_hash_table_insert (outline_faces, cairo_font_face_reference (real), face);
    }

  G_UNLOCK (outline_faces);

  return face;
}

static gboolean
font_is_cjk (PangoFont *font)
{
  /* 一 and あ: a font made for Chinese, Japanese (or Korean) text */
  return font != NULL && (pango_font_has_char (font, 0x4E00) || pango_font_has_char (font, 0x3042));
}

/* Shows one run at (@x, @y), its baseline origin, through the outline
 * font, keeping its text and clusters; FALSE where that cannot be done
 * faithfully (right-to-left or missing glyphs), for pango to draw. */
static gboolean
show_run_as_outlines (cairo_t        *cr,
                      const char     *text,
                      PangoGlyphItem *run,
                      double          x,
                      double          y)
{
  PangoItem *item = run->item;
  PangoGlyphString *glyphs = run->glyphs;
  cairo_scaled_font_t *real = pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (item->analysis.font));
  g_autofree cairo_glyph_t *cairo_glyphs = NULL;
  g_autofree cairo_text_cluster_t *clusters = NULL;
  cairo_matrix_t font_matrix;
  int n_glyphs = 0, n_clusters = 0, cluster_start = 0;

  if (real == NULL || item->analysis.level % 2 != 0 || glyphs->num_glyphs == 0 ||
      glyphs->log_clusters[0] != 0)
    return FALSE;

  cairo_glyphs = g_new (cairo_glyph_t, glyphs->num_glyphs);
  clusters = g_new0 (cairo_text_cluster_t, glyphs->num_glyphs);

  for (int i = 0; i < glyphs->num_glyphs; i++)
    {
      PangoGlyphInfo *info = &glyphs->glyphs[i];
      int start = glyphs->log_clusters[i];

      if (info->glyph & PANGO_GLYPH_UNKNOWN_FLAG)
        return FALSE;

      if (i == 0 || start != cluster_start)
        {
          if (start < cluster_start)
            return FALSE;
          if (n_clusters > 0)
            clusters[n_clusters - 1].num_bytes = start - cluster_start;
          cluster_start = start;
          n_clusters++;
        }

      if (info->glyph != PANGO_GLYPH_EMPTY)
        {
          cairo_glyphs[n_glyphs].index = info->glyph;
          cairo_glyphs[n_glyphs].x = x + (double) info->geometry.x_offset / PANGO_SCALE;
          cairo_glyphs[n_glyphs].y = y + (double) info->geometry.y_offset / PANGO_SCALE;
          n_glyphs++;
          clusters[n_clusters - 1].num_glyphs++;
        }
      x += (double) info->geometry.width / PANGO_SCALE;
    }
  clusters[n_clusters - 1].num_bytes = item->length - cluster_start;

  cairo_save (cr);
  cairo_set_font_face (cr, outline_face_for (cairo_scaled_font_get_font_face (real)));
  cairo_scaled_font_get_font_matrix (real, &font_matrix);
  cairo_set_font_matrix (cr, &font_matrix);
  cairo_show_text_glyphs (cr, text + item->offset, item->length,
                          cairo_glyphs, n_glyphs, clusters, n_clusters, 0);
  cairo_restore (cr);

  return TRUE;
}

/* pango_cairo_show_layout(), but with Chinese glyphs as outlines. */
static void
show_layout (cairo_t     *cr,
             PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);
  PangoLayoutIter *iter;
  double x0, y0;

  cairo_get_current_point (cr, &x0, &y0);
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoGlyphItem *run = pango_layout_iter_get_run_readonly (iter);
      PangoRectangle logical;
      double x, y;

      if (run == NULL)
        continue;

      pango_layout_iter_get_run_extents (iter, NULL, &logical);
      x = x0 + (double) logical.x / PANGO_SCALE;
      y = y0 + (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;

      if (font_is_cjk (run->item->analysis.font) && show_run_as_outlines (cr, text, run, x, y))
        continue;

      cairo_move_to (cr, x, y);
      pango_cairo_show_glyph_item (cr, text, run);
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
}

void
_bb_pdf_show_layout (cairo_t     *cr,
                     PangoLayout *layout)
{
  show_layout (cr, layout);
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           double       x,
           double       y,
           const Rgb   *color)
{
  if (layout == NULL)
    return;

  set_color (cr, color);
  cairo_move_to (cr, x, y);
  show_layout (cr, layout);
}

static void
draw_text_right (cairo_t     *cr,
                 PangoLayout *layout,
                 double       right,
                 double       y,
                 const Rgb   *color)
{
  draw_text (cr, layout, right - _bb_pdf_text_width (layout), y, color);
}

static void
draw_rule (cairo_t   *cr,
           double     x0,
           double     x1,
           double     y,
           double     width,
           const Rgb *color)
{
  set_color (cr, color);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
}

static void
fill_rect (cairo_t   *cr,
           double     x,
           double     y,
           double     width,
           double     height,
           const Rgb *color)
{
  set_color (cr, color);
  cairo_rectangle (cr, x, y, width, height);
  cairo_fill (cr);
}

/* "¥1,234.50" without its symbol, for the columns of the table. */
static char *
format_amount (BbMoney           amount,
               const BbCurrency *currency)
{
  g_autofree char *text = bb_money_format (amount, currency);
  const char *p = text;
  GString *out = g_string_new (NULL);

  if (*p == '-')
    {
      g_string_append (out, "−");
      p++;
    }
  if (currency->symbol != NULL && *currency->symbol != '\0' &&
      g_str_has_prefix (p, currency->symbol))
    p += strlen (currency->symbol);
  if (g_str_has_prefix (p, "\u00A0"))
    p += strlen ("\u00A0");
  g_string_append (out, p);

  return g_string_free (out, FALSE);
}

/* A sign set as a real minus, which reads better than a hyphen on paper. */
static char *
format_money (BbMoney           amount,
              const BbCurrency *currency)
{
  g_autofree char *text = bb_money_format (amount, currency);

  if (text[0] == '-')
    return g_strconcat ("−", text + 1, NULL);

  return g_steal_pointer (&text);
}

static char *
format_percent (BbRate rate)
{
  g_autofree char *number = bb_rate_format (rate);

  /* Translators: a tax or discount rate in the bill's table, "13%" */
  return g_strdup_printf (_("%s%%"), number);
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* ------------------------------------------------------------------ */
/* Images                                                              */

/* Reads a PNG and reduces it to what paper shows; NULL when it cannot. */
static cairo_surface_t *
image_read (const char *path,
            double      max_width_pt,
            double      max_height_pt,
            gboolean    sharp,
            double     *scale_out)
{
  cairo_surface_t *image;
  double width, height, scale, max_px;

  image = cairo_image_surface_create_from_png (path);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      g_debug ("Image “%s” is not a PNG that can be read: %s; the bill is printed without it",
               path, cairo_status_to_string (cairo_surface_status (image)));
      cairo_surface_destroy (image);
      return NULL;
    }

  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  if (width < 1 || height < 1)
    {
      cairo_surface_destroy (image);
      return NULL;
    }

  scale = MIN (max_width_pt / width, max_height_pt / height);

  /* More pixels than IMAGE_MAX_DPI on paper: reduce once, here. A QR code
   * is left alone unless huge, so its modules stay crisp. */
  max_px = MAX (width, height) * scale * IMAGE_MAX_DPI / 72.0;
  if (MAX (width, height) > (sharp ? 3 * max_px : max_px))
    {
      double reduce = max_px / MAX (width, height);
      int new_width = MAX (1, (int) round (width * reduce));
      int new_height = MAX (1, (int) round (height * reduce));
      cairo_surface_t *small = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, new_width, new_height);
      cairo_t *cr = cairo_create (small);

      cairo_scale (cr, (double) new_width / width, (double) new_height / height);
      cairo_set_source_surface (cr, image, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (image);

      image = small;
      scale *= width / new_width;
    }

  *scale_out = scale;
  return image;
}

static cairo_surface_t *
image_copy (cairo_surface_t *image)
{
  int width = cairo_image_surface_get_width (image);
  int height = cairo_image_surface_get_height (image);
  cairo_surface_t *copy = cairo_image_surface_create (cairo_image_surface_get_format (image), width, height);

  cairo_surface_flush (image);
  g_assert (cairo_image_surface_get_stride (copy) == cairo_image_surface_get_stride (image));
  memcpy (cairo_image_surface_get_data (copy), cairo_image_surface_get_data (image),
          (gsize) cairo_image_surface_get_stride (image) * height);
  cairo_surface_mark_dirty (copy);

  return copy;
}

/* The logo and the QR code are the same bill after bill: decoding and
 * reducing them is most of a bill's time, so it is done once per version
 * of the file. Each layout gets its own copy (cairo surfaces are not
 * shared between threads). */
typedef struct
{
  gint64           mtime;
  goffset          size;
  cairo_surface_t *image;        /* NULL: not readable */
  double           scale;
} CachedImage;

#define IMAGE_CACHE_SIZE 8

G_LOCK_DEFINE_STATIC (image_cache);
static GHashTable *image_cache;

static void
cached_image_free (CachedImage *cached)
{
  g_clear_pointer (&cached->image, cairo_surface_destroy);
  g_free (cached);
}

/* Loads a PNG for the page; NULL (quietly: the bill prints without it)
 * when there is none or it cannot be read. Big images are reduced to
 * what paper shows, so the PDF stays small and quick to write. */
static cairo_surface_t *
image_load (const char *path,
            double      max_width_pt,
            double      max_height_pt,
            gboolean    sharp,
            double     *scale_out)
{
  g_autofree char *key = NULL;
  cairo_surface_t *image = NULL;
  CachedImage *cached;
  GStatBuf st;
  gint64 mtime;
  goffset size;

  if (!has_text (path))
    return NULL;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_debug ("Image “%s” not found; the bill is printed without it", path);
      return NULL;
    }
  mtime = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
  size = (goffset) st.st_size;
  key = g_strdup_printf ("%s\n%g\n%g\n%d", path, max_width_pt, max_height_pt, sharp);

  G_LOCK (image_cache);

  if (image_cache == NULL)
    image_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cached_image_free);

  cached = g_hash_table_lookup (image_cache, key);
  if (cached == NULL || cached->mtime != mtime || cached->size != size)
    {
      if (g_hash_table_size (image_cache) >= IMAGE_CACHE_SIZE)
        g_hash_table_remove_all (image_cache);

      cached = g_new0 (CachedImage, 1);
      cached->mtime = mtime;
      cached->size = size;
      cached->image = image_read (path, max_width_pt, max_height_pt, sharp, &cached->scale);
      g_hash_table_replace (image_cache, g_strdup (key), cached);
    }

  if (cached->image != NULL)
    {
      image = image_copy (cached->image);
      *scale_out = cached->scale;
    }

  G_UNLOCK (image_cache);

  return image;
}

static double
image_width (cairo_surface_t *image,
             double           scale)
{
  return image ? cairo_image_surface_get_width (image) * scale : 0;
}

static double
image_height (cairo_surface_t *image,
              double           scale)
{
  return image ? cairo_image_surface_get_height (image) * scale : 0;
}

static void
draw_image (cairo_t         *cr,
            cairo_surface_t *image,
            double           scale,
            double           x,
            double           y,
            cairo_filter_t   filter)
{
  if (image == NULL)
    return;

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), filter);
  cairo_rectangle (cr, 0, 0, cairo_image_surface_get_width (image), cairo_image_surface_get_height (image));
  cairo_fill (cr);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------ */
/* Blocks: each measures itself when @cr is NULL and draws otherwise    */

static double
content_width (BbInvoiceLayout *self)
{
  return self->right - self->left;
}

static double
meta_width (BbInvoiceLayout *self)
{
  double labels = 0, values = 0;

  for (guint i = 0; i < self->meta_labels->len; i++)
    {
      labels = MAX (labels, _bb_pdf_text_width (g_ptr_array_index (self->meta_labels, i)));
      values = MAX (values, _bb_pdf_text_width (g_ptr_array_index (self->meta_values, i)));
    }

  return MAX (MAX (labels + 18 + values, 10 + _bb_pdf_text_width (self->due_amount) + 10),
              10 + _bb_pdf_text_width (self->due_label) + 10);
}

/* Business, logo, title, bill-to, number and dates. */
static double
block_first_header (BbInvoiceLayout *self,
                    cairo_t         *cr,
                    double           top)
{
  double y = top;
  double logo_w = image_width (self->logo, self->logo_scale);
  double logo_h = image_height (self->logo, self->logo_scale);
  double meta_w = meta_width (self);
  double meta_x = self->right - meta_w;
  double left_y, right_y;

  /* The shop */
  if (cr)
    {
      draw_text (cr, self->business_name, self->left, y, &ACCENT);
      draw_text (cr, self->business_details, self->left,
                 y + _bb_pdf_text_height (self->business_name) + 3, &MUTED);
      draw_image (cr, self->logo, self->logo_scale, self->right - logo_w, y, CAIRO_FILTER_GOOD);
    }
  y += MAX (_bb_pdf_text_height (self->business_name) + 3 + _bb_pdf_text_height (self->business_details), logo_h);

  y += 12;
  if (cr)
    draw_rule (cr, self->left, self->right, y, 1.6, &ACCENT);
  y += 14;

  /* Left: the title, then who the bill is for */
  left_y = y;
  if (cr)
    draw_text (cr, self->doc_title, self->left, left_y, &ACCENT);
  left_y += _bb_pdf_text_height (self->doc_title);
  if (self->doc_status)
    {
      if (cr)
        draw_text (cr, self->doc_status, self->left, left_y, &VOID_RED);
      left_y += _bb_pdf_text_height (self->doc_status);
    }
  left_y += 12;
  if (cr)
    draw_text (cr, self->bill_to_label, self->left, left_y, &MUTED);
  left_y += _bb_pdf_text_height (self->bill_to_label) + 3;
  if (cr)
    draw_text (cr, self->customer_name, self->left, left_y, &INK);
  left_y += _bb_pdf_text_height (self->customer_name) + 1;
  if (cr)
    draw_text (cr, self->customer_details, self->left, left_y, &INK);
  left_y += _bb_pdf_text_height (self->customer_details);

  /* Right: number and dates, then what is to be paid */
  right_y = y + 4;
  for (guint i = 0; i < self->meta_labels->len; i++)
    {
      PangoLayout *label = g_ptr_array_index (self->meta_labels, i);
      PangoLayout *value = g_ptr_array_index (self->meta_values, i);
      double baseline = MAX (text_baseline (label), text_baseline (value));

      if (cr)
        {
          draw_text (cr, label, meta_x, right_y + baseline - text_baseline (label), &MUTED);
          draw_text_right (cr, value, self->right, right_y + baseline - text_baseline (value), &INK);
        }
      right_y += MAX (_bb_pdf_text_height (label), _bb_pdf_text_height (value)) + 2;
    }

  if (self->due_amount)
    {
      double box_h = 8 + _bb_pdf_text_height (self->due_label) + 2 + _bb_pdf_text_height (self->due_amount) + 8;

      right_y += 8;
      if (cr)
        {
          fill_rect (cr, meta_x, right_y, meta_w, box_h, &HEADER_FILL);
          fill_rect (cr, meta_x, right_y, 2.5, box_h, &ACCENT);
          draw_text (cr, self->due_label, meta_x + 10, right_y + 8, &MUTED);
          draw_text_right (cr, self->due_amount, self->right - 10,
                           right_y + 8 + _bb_pdf_text_height (self->due_label) + 2, &INK);
        }
      right_y += box_h;
    }

  return MAX (left_y, right_y) + 20 - top;
}

static double
block_continued_header (BbInvoiceLayout *self,
                        cairo_t         *cr,
                        double           top)
{
  double baseline = MAX (text_baseline (self->continued_left), text_baseline (self->continued_right));
  double height = MAX (_bb_pdf_text_height (self->continued_left), _bb_pdf_text_height (self->continued_right));

  if (cr)
    {
      draw_text (cr, self->continued_left, self->left,
                 top + baseline - text_baseline (self->continued_left), &ACCENT);
      draw_text_right (cr, self->continued_right, self->right,
                       top + baseline - text_baseline (self->continued_right), &MUTED);
      draw_rule (cr, self->left, self->right, top + height + 5, 0.8, &ACCENT);
    }

  return height + 5 + 14;
}

static gboolean
column_is_numeric (guint column)
{
  return column != COL_DESCRIPTION;
}

static double
cell_x (BbInvoiceLayout *self,
        guint            column,
        PangoLayout     *cell)
{
  if (column_is_numeric (column))
    return self->column_x[column] + self->column_width[column] - CELL_PAD_X - _bb_pdf_text_width (cell);

  return self->column_x[column] + CELL_PAD_X;
}

static double
block_table_header (BbInvoiceLayout *self,
                    cairo_t         *cr,
                    double           top)
{
  double height = 0;

  for (guint c = 0; c < N_COLUMNS; c++)
    height = MAX (height, _bb_pdf_text_height (self->column_titles[c]));

  if (cr)
    {
      fill_rect (cr, self->left, top, content_width (self), height + 2 * CELL_PAD_Y + 1, &HEADER_FILL);
      /* Titles of one line and of two sit on the same bottom line. */
      for (guint c = 0; c < N_COLUMNS; c++)
        draw_text (cr, self->column_titles[c], self->column_x[c] + CELL_PAD_X,
                   top + CELL_PAD_Y + 0.5 + height - _bb_pdf_text_height (self->column_titles[c]), &ACCENT);
      draw_rule (cr, self->left, self->right, top + height + 2 * CELL_PAD_Y + 1, 0.8, &ACCENT);
    }

  return height + 2 * CELL_PAD_Y + 1;
}

static void
draw_row (BbInvoiceLayout *self,
          cairo_t         *cr,
          guint            index,
          double           top)
{
  Row *row = &g_array_index (self->rows, Row, index);

  if (index % 2 == 1)
    fill_rect (cr, self->left, top, content_width (self), row->height, &SHADE);

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      PangoLayout *cell = row->cells[c];

      if (cell == NULL)
        continue;

      draw_text (cr, cell, cell_x (self, c, cell),
                 top + CELL_PAD_Y + row->baseline - text_baseline (cell),
                 c == COL_POSITION ? &MUTED : &INK);
    }
}

static double
closing_left_width (BbInvoiceLayout *self)
{
  return content_width (self) - self->totals_width - 28;
}

/* Totals on the right; amount in words and notes on the left. */
static double
block_closing (BbInvoiceLayout *self,
               cairo_t         *cr,
               double           top)
{
  double x = self->right - self->totals_width;
  double left_y = top, right_y = top;

  for (guint i = 0; i < self->totals->len; i++)
    {
      TotalRow *row = &g_array_index (self->totals, TotalRow, i);
      double baseline = MAX (text_baseline (row->label), text_baseline (row->value));
      double height = MAX (_bb_pdf_text_height (row->label), _bb_pdf_text_height (row->value)) + 2 * 3.5;

      if (row->strong)
        {
          right_y += 3;
          if (cr)
            draw_rule (cr, x, self->right, right_y, 0.8, &INK);
          right_y += 2;
        }
      if (cr)
        {
          if (row->highlight)
            {
              fill_rect (cr, x, right_y, self->totals_width, height, &HEADER_FILL);
              fill_rect (cr, x, right_y, 2.5, height, &ACCENT);
            }
          draw_text (cr, row->label, x + 8, right_y + 3.5 + baseline - text_baseline (row->label),
                     row->strong || row->highlight ? &INK : &MUTED);
          draw_text_right (cr, row->value, self->right - 6,
                           right_y + 3.5 + baseline - text_baseline (row->value), &INK);
        }
      right_y += height;
    }

  if (self->words)
    {
      if (cr)
        {
          draw_text (cr, self->words_label, self->left, left_y, &MUTED);
          draw_text (cr, self->words, self->left, left_y + _bb_pdf_text_height (self->words_label) + 3, &INK);
        }
      left_y += _bb_pdf_text_height (self->words_label) + 3 + _bb_pdf_text_height (self->words) + 12;
    }

  if (self->notes)
    {
      if (cr)
        {
          draw_text (cr, self->notes_label, self->left, left_y, &MUTED);
          draw_text (cr, self->notes, self->left, left_y + _bb_pdf_text_height (self->notes_label) + 3, &INK);
        }
      left_y += _bb_pdf_text_height (self->notes_label) + 3 + _bb_pdf_text_height (self->notes);
    }

  return MAX (left_y, right_y) - top;
}

static double
block_payment (BbInvoiceLayout *self,
               cairo_t         *cr,
               double           top)
{
  double qr_w = image_width (self->qr, self->qr_scale);
  double qr_h = image_height (self->qr, self->qr_scale);
  double left_h = 0, right_h = 0;
  double y = top + 10;

  if (cr)
    draw_rule (cr, self->left, self->right, top, 0.5, &RULE);

  if (self->payment_text)
    {
      if (cr)
        {
          draw_text (cr, self->payment_label, self->left, y, &MUTED);
          draw_text (cr, self->payment_text, self->left, y + _bb_pdf_text_height (self->payment_label) + 3, &INK);
        }
      left_h = _bb_pdf_text_height (self->payment_label) + 3 + _bb_pdf_text_height (self->payment_text);
    }

  if (self->qr)
    {
      double caption_w = _bb_pdf_text_width (self->qr_caption);
      double column_w = MAX (qr_w, caption_w);
      double x = self->right - column_w;

      if (cr)
        {
          draw_image (cr, self->qr, self->qr_scale, x + (column_w - qr_w) / 2, y, CAIRO_FILTER_NEAREST);
          draw_text (cr, self->qr_caption, x + (column_w - caption_w) / 2, y + qr_h + 3, &MUTED);
        }
      right_h = qr_h + 3 + _bb_pdf_text_height (self->qr_caption);
    }

  return 10 + MAX (left_h, right_h);
}

static void
draw_footer (BbInvoiceLayout *self,
             cairo_t         *cr,
             guint            page)
{
  g_autofree char *page_text = g_strdup_printf (_("Page %u of %u"), page + 1, self->pages->len);
  g_autoptr(PangoLayout) right = text_new (self, page_text, STYLE_FOOTER, 0);
  g_autoptr(PangoLayout) left = text_new (self, self->number, STYLE_FOOTER, 0);
  double y = self->body_bottom + 8;

  draw_rule (cr, self->left, self->right, y, 0.5, &RULE);
  draw_text (cr, left, self->left, y + 4, &MUTED);
  draw_text_right (cr, right, self->right, y + 4, &MUTED);
}

static void
draw_watermark (BbInvoiceLayout *self,
                cairo_t         *cr)
{
  const Rgb *color = self->watermark_void ? &VOID_RED : &MUTED;

  if (self->watermark == NULL)
    return;

  cairo_save (cr);
  cairo_translate (cr, self->page_width / 2, self->page_height / 2);
  cairo_rotate (cr, -G_PI / 6);
  cairo_set_source_rgba (cr, color->r, color->g, color->b, self->watermark_void ? 0.16 : 0.10);
  cairo_move_to (cr, -_bb_pdf_text_width (self->watermark) / 2, -_bb_pdf_text_height (self->watermark) / 2);
  show_layout (cr, self->watermark);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------ */
/* Building the layout                                                 */

static void
row_clear (Row *row)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    g_clear_object (&row->cells[c]);
}

static void
total_row_clear (TotalRow *row)
{
  g_clear_object (&row->label);
  g_clear_object (&row->value);
}

static void
add_meta (BbInvoiceLayout *self,
          const char      *label,
          const char      *value)
{
  g_ptr_array_add (self->meta_labels, text_new (self, label, STYLE_SMALL, 0));
  g_ptr_array_add (self->meta_values, text_new (self, value, STYLE_BODY_BOLD, 0));
}

static void
add_total (BbInvoiceLayout  *self,
           const char       *label,
           BbMoney           amount,
           const BbCurrency *currency,
           gboolean          strong,
           gboolean          highlight)
{
  g_autofree char *value = format_money (amount, currency);
  TotalRow row = {
    .label = text_new (self, label, strong || highlight ? STYLE_TOTAL : STYLE_BODY, 0),
    .value = text_new (self, value, strong || highlight ? STYLE_TOTAL : STYLE_BODY, 0),
    .strong = strong,
    .highlight = highlight,
  };

  g_array_append_val (self->totals, row);
}

/* Joins the non-empty parts with @separator. */
static char *
join_present (const char *separator,
              ...)
{
  GString *out = g_string_new (NULL);
  const char *part;
  va_list args;

  va_start (args, separator);
  while ((part = va_arg (args, const char *)) != NULL)
    {
      if (*part == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, separator);
      g_string_append (out, part);
    }
  va_end (args);

  return g_string_free (out, FALSE);
}

/* "Phone: 138…", or "" when there is no phone. */
#define labelled(format, value) \
  (has_text (value) ? g_strdup_printf ((format), (value)) : g_strdup (""))

static void
build_header (BbInvoiceLayout  *self,
              BbInvoice        *invoice,
              BbBusiness       *business,
              BbCustomer       *customer,
              const BbCurrency *currency,
              const char       *logo_path)
{
  g_autofree char *phone = labelled (_("Phone: %s"), business->phone);
  g_autofree char *tax_id = labelled (_("Tax ID: %s"), business->tax_id);
  g_autofree char *contact = join_present ("   ·   ", phone, tax_id, NULL);
  g_autofree char *details = join_present ("\n", business->address, contact, NULL);
  g_autofree char *customer_phone = NULL;
  g_autofree char *customer_email = NULL;
  g_autofree char *customer_contact = NULL;
  g_autofree char *customer_tax_id = NULL;
  g_autofree char *customer_code = NULL;
  g_autofree char *customer_ids = NULL;
  g_autofree char *customer_details = NULL;
  const char *customer_name;
  const char *company = "";
  const char *address = "";
  double logo_w, customer_width;
  gboolean credit_note = invoice->kind == BB_INVOICE_KIND_CREDIT_NOTE;

  self->logo = image_load (logo_path, LOGO_MAX_WIDTH, LOGO_HEIGHT, FALSE, &self->logo_scale);
  logo_w = image_width (self->logo, self->logo_scale);

  self->business_name = text_new (self, business->name, STYLE_BUSINESS,
                                  content_width (self) - (logo_w > 0 ? logo_w + 24 : 0));
  self->business_details = text_new (self, details, STYLE_SMALL,
                                     content_width (self) - (logo_w > 0 ? logo_w + 24 : 0));

  self->doc_title = text_new (self, credit_note ? _("Credit Note") : _("Invoice"), STYLE_TITLE, 0);
  if (invoice->status == BB_INVOICE_VOID)
    {
      g_autofree char *status = has_text (invoice->void_reason)
        ? g_strdup_printf (_("Void: %s"), invoice->void_reason)
        : g_strdup (_("Void"));

      self->doc_status = text_new (self, status, STYLE_BODY_BOLD, content_width (self) / 2);
    }

  /* Number and dates */
  self->meta_labels = g_ptr_array_new_with_free_func (g_object_unref);
  self->meta_values = g_ptr_array_new_with_free_func (g_object_unref);
  add_meta (self, credit_note ? _("Credit note number") : _("Bill number"),
            has_text (invoice->number) ? invoice->number : _("Draft"));
  if (has_text (invoice->issued_on))
    add_meta (self, _("Issued"), invoice->issued_on);
  if (has_text (invoice->due_on) && !credit_note)
    add_meta (self, _("Due"), invoice->due_on);
  if (credit_note && has_text (invoice->credit_for_number))
    add_meta (self, _("Corrects bill"), invoice->credit_for_number);
  add_meta (self, _("Currency"), currency->code);

  /* What is to be paid, in a box */
  if (!credit_note && invoice->status == BB_INVOICE_ISSUED)
    {
      g_autofree char *due = format_money (invoice->open_balance, currency);

      self->due_label = text_new (self, _("Balance due"), STYLE_LABEL, 0);
      self->due_amount = text_new (self, due, STYLE_DUE_AMOUNT, 0);
    }
  else
    {
      g_autofree char *total = format_money (invoice->total, currency);

      self->due_label = text_new (self, _("Total"), STYLE_LABEL, 0);
      self->due_amount = text_new (self, total, STYLE_DUE_AMOUNT, 0);
    }

  /* Who the bill is for */
  if (customer != NULL)
    {
      customer_name = customer->name;
      company = customer->company ? customer->company : "";
      address = customer->address ? customer->address : "";
      customer_phone = labelled (_("Phone: %s"), customer->phone);
      customer_email = labelled (_("Email: %s"), customer->email);
      customer_tax_id = labelled (_("Tax ID: %s"), customer->tax_id);
      customer_code = labelled (_("Customer code: %s"), customer->code);
    }
  else
    {
      customer_name = invoice->customer_name ? invoice->customer_name : "";
      customer_phone = g_strdup ("");
      customer_email = g_strdup ("");
      customer_tax_id = g_strdup ("");
      customer_code = labelled (_("Customer code: %s"), invoice->customer_code);
    }
  if (g_strcmp0 (company, customer_name) == 0)
    company = "";
  customer_contact = join_present ("   ·   ", customer_phone, customer_email, NULL);
  customer_ids = join_present ("   ·   ", customer_tax_id, customer_code, NULL);
  customer_details = join_present ("\n", company, address, customer_contact, customer_ids, NULL);

  self->bill_to_label = text_new (self, credit_note ? _("Credit to") : _("Bill to"), STYLE_LABEL, 0);
  /* Beside the number and dates */
  customer_width = content_width (self) - meta_width (self) - 30;
  self->customer_name = text_new (self, customer_name, STYLE_CUSTOMER, customer_width);
  self->customer_details = text_new (self, customer_details, STYLE_SMALL, customer_width);

  self->continued_left = text_new (self, business->name, STYLE_BODY_BOLD, content_width (self) / 2);
  self->continued_right = text_new (self, self->title, STYLE_SMALL, 0);
}

static void
build_table (BbInvoiceLayout  *self,
             BbInvoice        *invoice,
             const BbCurrency *currency,
             double            max_row_height)
{
  const char *titles[N_COLUMNS] = {
    [COL_POSITION] = C_("bill table", "#"),
    [COL_DESCRIPTION] = C_("bill table", "Description"),
    [COL_QUANTITY] = C_("bill table", "Qty"),
    [COL_UNIT_PRICE] = C_("bill table", "Unit price"),
    [COL_DISCOUNT] = C_("bill table", "Discount"),
    [COL_TAX] = C_("bill table", "Tax"),
    [COL_AMOUNT] = C_("bill table", "Amount"),
  };
  double widths[N_COLUMNS] = { 0 };
  double title_widths[N_COLUMNS] = { 0 };
  double word_widths[N_COLUMNS] = { 0 };
  double numbers = 0, description_width, x;
  gboolean wrap_titles = FALSE;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(PangoLayout) words = text_new (self, titles[c], STYLE_COLUMN, 0);

      title_widths[c] = _bb_pdf_text_width (words);
      /* The widest word: where the title may wrap to, if need be */
      pango_layout_set_width (words, 1);
      pango_layout_set_wrap (words, PANGO_WRAP_WORD);
      word_widths[c] = _bb_pdf_text_width (words);
    }

  self->rows = g_array_sized_new (FALSE, TRUE, sizeof (Row), invoice->lines->len);
  g_array_set_clear_func (self->rows, (GDestroyNotify) row_clear);

  /* The numbers first: their widths decide the description's. */
  for (guint i = 0; i < invoice->lines->len; i++)
    {
      BbInvoiceLine *line = g_ptr_array_index (invoice->lines, i);
      g_autofree char *position = g_strdup_printf ("%u", i + 1);
      g_autofree char *quantity = bb_quantity_format (line->quantity);
      g_autofree char *unit_price = format_amount (line->unit_price, currency);
      g_autofree char *discount = line->discount != 0 ? format_percent (line->discount) : g_strdup ("");
      g_autofree char *tax = format_percent (line->tax_rate);
      g_autofree char *amount = format_amount (line->net, currency);
      Row row = { { NULL } };

      row.cells[COL_POSITION] = text_new (self, position, STYLE_SMALL, 0);
      row.cells[COL_QUANTITY] = text_new (self, quantity, STYLE_BODY, 0);
      row.cells[COL_UNIT_PRICE] = text_new (self, unit_price, STYLE_BODY, 0);
      row.cells[COL_DISCOUNT] = text_new (self, discount, STYLE_BODY, 0);
      row.cells[COL_TAX] = text_new (self, tax, STYLE_BODY, 0);
      row.cells[COL_AMOUNT] = text_new (self, amount, STYLE_BODY, 0);

      for (guint c = 0; c < N_COLUMNS; c++)
        if (row.cells[c] != NULL)
          widths[c] = MAX (widths[c], _bb_pdf_text_width (row.cells[c]));

      g_array_append_val (self->rows, row);
    }

  /* Titles on one line if that leaves the description half the width;
   * otherwise they wrap ("Unit / price") before the numbers do. */
  for (guint c = 0; c < N_COLUMNS; c++)
    if (column_is_numeric (c))
      numbers += MAX (widths[c], title_widths[c]) + 2 * CELL_PAD_X + (c == COL_POSITION ? 0 : 4);
  wrap_titles = content_width (self) - numbers < content_width (self) * 0.45;

  numbers = 0;
  for (guint c = 0; c < N_COLUMNS; c++)
    if (column_is_numeric (c))
      {
        /* The position's title is short ("#", "序号") and never wraps:
         * Chinese would break it between its characters. */
        widths[c] = MAX (widths[c], wrap_titles && c != COL_POSITION ? word_widths[c] : title_widths[c]);
        widths[c] += 2 * CELL_PAD_X + (c == COL_POSITION ? 0 : 4);
        numbers += widths[c];
      }

  description_width = content_width (self) - numbers;

  /* Wrapped titles may leave more than the description needs: give the
   * numbers room again, up to a title on one line each. */
  if (wrap_titles && description_width > content_width (self) * 0.5)
    {
      double spare = description_width - content_width (self) * 0.5;

      for (guint round = 0; round < 3 && spare > 0.5; round++)
        {
          guint n_wanting = 0;

          for (guint c = COL_QUANTITY; c < N_COLUMNS; c++)
            if (widths[c] < title_widths[c] + 2 * CELL_PAD_X + 4)
              n_wanting++;
          if (n_wanting == 0)
            break;

          for (guint c = COL_QUANTITY; c < N_COLUMNS; c++)
            {
              double want = title_widths[c] + 2 * CELL_PAD_X + 4 - widths[c];
              double give = MIN (want, spare / n_wanting);

              if (want <= 0)
                continue;
              widths[c] += give;
              numbers += give;
            }
          spare = content_width (self) * 0.5 - numbers;
        }
      description_width = content_width (self) - numbers;
    }

  /* A description gets at least a third of the width; the numbers give
   * up their breathing room first. */
  if (description_width < content_width (self) / 3)
    {
      double shrink = (content_width (self) / 3 - description_width) / (N_COLUMNS - 1);

      for (guint c = 0; c < N_COLUMNS; c++)
        if (column_is_numeric (c))
          widths[c] -= shrink;
      description_width = content_width (self) / 3;
    }
  widths[COL_DESCRIPTION] = description_width;

  /* Numeric titles are right-aligned over their numbers. */
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      /* (a point of slack: a title exactly as wide as its column must
       * not wrap for rounding) */
      self->column_titles[c] = text_new (self, titles[c], STYLE_COLUMN,
                                         column_is_numeric (c) ? widths[c] - 2 * CELL_PAD_X + 1 : 0);
      if (column_is_numeric (c))
        {
          pango_layout_set_wrap (self->column_titles[c], PANGO_WRAP_WORD);
          pango_layout_set_alignment (self->column_titles[c], PANGO_ALIGN_RIGHT);
        }
    }

  x = self->left;
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      self->column_x[c] = x;
      self->column_width[c] = widths[c];
      x += widths[c];
    }

  self->table_header_height = block_table_header (self, NULL, 0);

  for (guint i = 0; i < invoice->lines->len; i++)
    {
      BbInvoiceLine *line = g_ptr_array_index (invoice->lines, i);
      Row *row = &g_array_index (self->rows, Row, i);
      double height = 0;

      row->cells[COL_DESCRIPTION] = text_new (self, line->description ? line->description : "",
                                              STYLE_BODY, widths[COL_DESCRIPTION] - 2 * CELL_PAD_X);
      /* Never taller than a page: the rest of the text gives way to “…”. */
      text_limit_height (row->cells[COL_DESCRIPTION], max_row_height - 2 * CELL_PAD_Y);

      row->baseline = 0;
      for (guint c = 0; c < N_COLUMNS; c++)
        row->baseline = MAX (row->baseline, text_baseline (row->cells[c]));
      for (guint c = 0; c < N_COLUMNS; c++)
        height = MAX (height, row->baseline - text_baseline (row->cells[c]) + _bb_pdf_text_height (row->cells[c]));
      row->height = height + 2 * CELL_PAD_Y;
    }
}

static void
build_closing (BbInvoiceLayout  *self,
               BbInvoice        *invoice,
               const BbCurrency *currency,
               gboolean          amount_in_words)
{
  g_autofree char *tax_label = NULL;
  gboolean one_rate = invoice->lines->len > 0;
  gboolean settled = invoice->status == BB_INVOICE_ISSUED || invoice->status == BB_INVOICE_VOID;
  double labels = 0, values = 0;

  for (guint i = 1; i < invoice->lines->len; i++)
    {
      BbInvoiceLine *a = g_ptr_array_index (invoice->lines, 0);
      BbInvoiceLine *b = g_ptr_array_index (invoice->lines, i);

      one_rate = one_rate && a->tax_rate == b->tax_rate;
    }

  if (one_rate)
    {
      BbInvoiceLine *first = g_ptr_array_index (invoice->lines, 0);
      g_autofree char *rate = format_percent (first->tax_rate);

      /* Translators: the tax row of the totals when every line has the same rate, "Tax (13%)" */
      tax_label = g_strdup_printf (_("Tax (%s)"), rate);
    }
  else
    {
      tax_label = g_strdup (_("Tax"));
    }

  self->totals = g_array_new (FALSE, TRUE, sizeof (TotalRow));
  g_array_set_clear_func (self->totals, (GDestroyNotify) total_row_clear);

  add_total (self, _("Subtotal"), invoice->subtotal, currency, FALSE, FALSE);
  if (invoice->discount_total != 0)
    add_total (self, _("Discount"), -invoice->discount_total, currency, FALSE, FALSE);
  add_total (self, tax_label, invoice->tax_total, currency, FALSE, FALSE);
  add_total (self, _("Total"), invoice->total, currency, TRUE, FALSE);
  if (settled && invoice->kind != BB_INVOICE_KIND_CREDIT_NOTE)
    {
      add_total (self, _("Paid"), invoice->paid, currency, FALSE, FALSE);
      add_total (self, _("Balance due"), invoice->open_balance, currency, FALSE, TRUE);
    }

  for (guint i = 0; i < self->totals->len; i++)
    {
      TotalRow *row = &g_array_index (self->totals, TotalRow, i);

      labels = MAX (labels, _bb_pdf_text_width (row->label));
      values = MAX (values, _bb_pdf_text_width (row->value));
    }
  self->totals_width = MAX (8 + labels + 30 + values + 6, content_width (self) * 0.40);

  if (amount_in_words)
    {
      g_autofree char *words = bb_money_to_words (invoice->total, currency);

      self->words_label = text_new (self, _("Amount in words"), STYLE_LABEL, 0);
      self->words = text_new (self, words, STYLE_BODY_BOLD, closing_left_width (self));
    }

  if (has_text (invoice->notes))
    {
      self->notes_label = text_new (self, _("Notes"), STYLE_LABEL, 0);
      self->notes = text_new (self, invoice->notes, STYLE_BODY, closing_left_width (self));
    }
}

static void
build_payment (BbInvoiceLayout *self,
               const char      *payment_text,
               const char      *qr_path)
{
  double text_w;

  self->qr = image_load (qr_path, QR_SIZE, QR_SIZE, TRUE, &self->qr_scale);
  if (self->qr)
    self->qr_caption = text_new (self, _("Scan to pay"), STYLE_FOOTER, 0);

  text_w = content_width (self) - (self->qr ? QR_SIZE + 24 : 0);
  if (has_text (payment_text))
    {
      self->payment_label = text_new (self, _("How to pay"), STYLE_LABEL, 0);
      self->payment_text = text_new (self, payment_text, STYLE_BODY, text_w);
    }
}

static GArray *
page_new (BbInvoiceLayout *self)
{
  GArray *page = g_array_new (FALSE, FALSE, sizeof (Item));

  g_ptr_array_add (self->pages, page);
  return page;
}

static void
page_add (GArray   *page,
          ItemKind  kind,
          guint     index,
          double    y)
{
  Item item = { kind, index, y };

  g_array_append_val (page, item);
}

/* A later page: the short header, and where its body begins. */
static GArray *
page_new_continued (BbInvoiceLayout *self,
                    double          *y)
{
  GArray *page = page_new (self);

  page_add (page, ITEM_CONTINUED_HEADER, 0, self->top);
  *y = self->top + block_continued_header (self, NULL, self->top);

  return page;
}

static void
paginate (BbInvoiceLayout *self)
{
  GArray *page = page_new (self);
  double y = self->top + block_first_header (self, NULL, self->top);
  double closing_h = block_closing (self, NULL, 0);
  double payment_h = (self->payment_text || self->qr) ? block_payment (self, NULL, 0) : 0;
  guint n_rows = self->rows->len;

  page_add (page, ITEM_FIRST_HEADER, 0, self->top);

  /* The table, its header repeated on every page it runs over; a row is
   * never cut. The header never stands alone at the foot of a page. */
  if (n_rows > 0 &&
      y + self->table_header_height + g_array_index (self->rows, Row, 0).height > self->body_bottom)
    page = page_new_continued (self, &y);

  page_add (page, ITEM_TABLE_HEADER, 0, y);
  y += self->table_header_height;

  for (guint i = 0; i < n_rows; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (y + row->height > self->body_bottom)
        {
          page_add (page, ITEM_TABLE_END, 0, y);
          page = page_new_continued (self, &y);
          page_add (page, ITEM_TABLE_HEADER, 0, y);
          y += self->table_header_height;
        }

      page_add (page, ITEM_ROW, i, y);
      y += row->height;
    }
  page_add (page, ITEM_TABLE_END, 0, y);

  /* Totals, words and notes stay together. */
  y += 12;
  if (y + closing_h > self->body_bottom)
    page = page_new_continued (self, &y);
  page_add (page, ITEM_CLOSING, 0, y);
  y += closing_h;

  /* How to pay: at the foot of the last page. */
  if (payment_h > 0)
    {
      if (y + BLOCK_GAP > self->body_bottom - payment_h)
        page = page_new_continued (self, &y);
      page_add (page, ITEM_PAYMENT, 0, self->body_bottom - payment_h);
    }
}

/**
 * bb_invoice_layout_new:
 * @db: the book, for the business details, the customer and the billing
 *   settings
 * @invoice: the bill, with its lines and totals as read or computed
 * @options: (nullable): paper and amount in words; %NULL for the book's
 *   settings
 * @context: (nullable): a Pango context whose font map to use, such as
 *   the print context's; %NULL for pango-cairo's default font map
 *
 * Lays out @invoice into pages. Reads only this bill's customer and a
 * few settings.
 *
 * Returns: (transfer full): the layout, or %NULL with @error set when the
 *   book cannot be read
 */
BbInvoiceLayout *
bb_invoice_layout_new (BbDb                       *db,
                       BbInvoice                  *invoice,
                       const BbInvoicePdfOptions  *options,
                       PangoContext               *context,
                       GError                    **error)
{
  g_autoptr(BbInvoiceLayout) self = NULL;
  g_autoptr(BbBusiness) business = NULL;
  g_autoptr(BbCustomer) customer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *logo_path = NULL;
  g_autofree char *payment_text = NULL;
  g_autofree char *qr_path = NULL;
  BbInvoicePdfOptions defaults;
  PangoFontMap *font_map;
  PangoLanguage *language;
  const char *chinese;
  const BbCurrency *currency;
  double max_row_height;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (BB_IS_INVOICE (invoice), NULL);
  g_return_val_if_fail (context == NULL || PANGO_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      bb_invoice_pdf_options_from_settings (db, &defaults);
      options = &defaults;
    }
  g_return_val_if_fail (options->paper < G_N_ELEMENTS (papers), NULL);

  if (invoice->customer_id > 0)
    {
      customer = bb_customers_get (db, invoice->customer_id, &local_error);
      if (customer == NULL && !g_error_matches (local_error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  business = bb_business_load (db);
  currency = bb_currency_lookup (invoice->currency);
  if (currency == NULL)
    currency = bb_currency_lookup (business->currency);
  if (currency == NULL)
    currency = bb_currency_get_default ();

  logo_path = bb_db_get_setting (db, "billing.logo_path");
  payment_text = bb_db_get_setting (db, "billing.payment_text");
  qr_path = bb_db_get_setting (db, "billing.qr_path");

  self = g_new0 (BbInvoiceLayout, 1);
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  /* Fonts and languages. Our own contexts, at 72 dpi so a point is a
   * unit, whatever the caller's context is set to. */
  font_map = context ? pango_context_get_font_map (context) : pango_cairo_font_map_get_default ();
  chinese = _bb_pdf_chinese_of_locale ();
  language = chinese ? pango_language_from_string (chinese) : pango_language_get_default ();
  self->context = _bb_pdf_context_new (font_map, language, 72.0);
  self->context_cjk = _bb_pdf_context_new (font_map, pango_language_from_string (chinese ? chinese : "zh-cn"), 72.0);
  for (guint s = 0; s < N_STYLES; s++)
    {
      self->fonts[s] = pango_font_description_from_string (BB_PDF_FONT_FAMILY);
      pango_font_description_set_size (self->fonts[s], (int) (styles[s].size * PANGO_SCALE));
      pango_font_description_set_weight (self->fonts[s], styles[s].bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    }

  self->page_width = papers[options->paper].width;
  self->page_height = papers[options->paper].height;
  self->left = MARGIN;
  self->right = self->page_width - MARGIN;
  self->top = MARGIN;
  self->body_bottom = self->page_height - MARGIN - FOOTER_HEIGHT;

  if (has_text (invoice->number))
    self->title = g_strdup_printf (invoice->kind == BB_INVOICE_KIND_CREDIT_NOTE
                                   ? _("Credit Note %s") : _("Invoice %s"),
                                   invoice->number);
  else
    self->title = g_strdup (invoice->kind == BB_INVOICE_KIND_CREDIT_NOTE
                            ? _("Credit Note (draft)") : _("Invoice (draft)"));
  self->number = g_strdup (has_text (invoice->number) ? invoice->number : _("Draft"));

  build_header (self, invoice, business, customer, currency, logo_path);

  max_row_height = self->body_bottom - self->top
                   - block_continued_header (self, NULL, self->top)
                   - 2 * CELL_PAD_Y - 40;
  build_table (self, invoice, currency, max_row_height);
  build_closing (self, invoice, currency, options->amount_in_words);
  build_payment (self, payment_text, qr_path);

  /* Long notes or payment text give way rather than run off the page. */
  if (self->notes)
    {
      double room = max_row_height - block_table_header (self, NULL, 0);
      double over = block_closing (self, NULL, 0) - room;

      if (over > 0)
        text_limit_height (self->notes, _bb_pdf_text_height (self->notes) - over);
    }
  if (self->payment_text)
    text_limit_height (self->payment_text, max_row_height / 2);

  if (invoice->status == BB_INVOICE_VOID)
    {
      self->watermark = text_new (self, _("Void"), STYLE_WATERMARK, 0);
      self->watermark_void = TRUE;
    }
  else if (invoice->status == BB_INVOICE_DRAFT || invoice->status == BB_INVOICE_REVIEW)
    {
      self->watermark = text_new (self, _("Draft"), STYLE_WATERMARK, 0);
    }

  paginate (self);

  return g_steal_pointer (&self);
}

static void
layout_clear_array (GPtrArray **array)
{
  g_clear_pointer (array, g_ptr_array_unref);
}

void
bb_invoice_layout_free (BbInvoiceLayout *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->business_name);
  g_clear_object (&self->business_details);
  g_clear_pointer (&self->logo, cairo_surface_destroy);
  g_clear_object (&self->doc_title);
  g_clear_object (&self->doc_status);
  g_clear_object (&self->bill_to_label);
  g_clear_object (&self->customer_name);
  g_clear_object (&self->customer_details);
  layout_clear_array (&self->meta_labels);
  layout_clear_array (&self->meta_values);
  g_clear_object (&self->due_label);
  g_clear_object (&self->due_amount);
  g_clear_object (&self->continued_left);
  g_clear_object (&self->continued_right);
  for (guint c = 0; c < N_COLUMNS; c++)
    g_clear_object (&self->column_titles[c]);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->totals, g_array_unref);
  g_clear_object (&self->words_label);
  g_clear_object (&self->words);
  g_clear_object (&self->notes_label);
  g_clear_object (&self->notes);
  g_clear_object (&self->payment_label);
  g_clear_object (&self->payment_text);
  g_clear_pointer (&self->qr, cairo_surface_destroy);
  g_clear_object (&self->qr_caption);
  g_clear_object (&self->watermark);
  layout_clear_array (&self->pages);
  for (guint s = 0; s < N_STYLES; s++)
    g_clear_pointer (&self->fonts[s], pango_font_description_free);
  g_clear_object (&self->context);
  g_clear_object (&self->context_cjk);
  g_free (self->title);
  g_free (self->number);
  g_free (self);
}

guint
bb_invoice_layout_get_n_pages (BbInvoiceLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->pages->len;
}

void
bb_invoice_layout_get_page_size (BbInvoiceLayout *self,
                                 double          *width_pt,
                                 double          *height_pt)
{
  g_return_if_fail (self != NULL);

  if (width_pt)
    *width_pt = self->page_width;
  if (height_pt)
    *height_pt = self->page_height;
}

const char *
bb_invoice_layout_get_title (BbInvoiceLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

static void
collect_families (GHashTable  *families,
                  PangoLayout *layout)
{
  PangoLayoutIter *iter;

  if (layout == NULL)
    return;

  iter = pango_layout_get_iter (layout);
  do
    {
      PangoGlyphItem *run = pango_layout_iter_get_run_readonly (iter);
      PangoFontDescription *description;

      if (run == NULL)
        continue;
      description = pango_font_describe (run->item->analysis.font);
      g_hash_table_add (families, g_strdup (pango_font_description_get_family (description)));
      pango_font_description_free (description);
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* For tests: the font families the bill's own texts (business, customer,
 * descriptions, notes) were set in, sorted and joined with ", ". */
char *
_bb_invoice_layout_get_font_families (BbInvoiceLayout *self)
{
  g_autoptr(GHashTable) families = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree const char **names = NULL;

  collect_families (families, self->business_name);
  collect_families (families, self->business_details);
  collect_families (families, self->customer_name);
  collect_families (families, self->customer_details);
  for (guint i = 0; i < self->rows->len; i++)
    collect_families (families, g_array_index (self->rows, Row, i).cells[COL_DESCRIPTION]);
  collect_families (families, self->notes);
  collect_families (families, self->payment_text);

  names = (const char **) g_hash_table_get_keys_as_array (families, NULL);
  g_qsort_with_data (names, g_hash_table_size (families), sizeof (char *), compare_names, NULL);
  return g_strjoinv (", ", (char **) names);
}

/**
 * bb_invoice_layout_draw_page:
 * @page: 0-based
 *
 * Draws @page on @cr in points, the page's top left corner at the
 * origin, on a white page (nothing is painted behind the text).
 */
void
bb_invoice_layout_draw_page (BbInvoiceLayout *self,
                             cairo_t         *cr,
                             guint            page)
{
  GArray *items;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page < self->pages->len);

  items = g_ptr_array_index (self->pages, page);

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);

      switch (item->kind)
        {
        case ITEM_FIRST_HEADER:
          block_first_header (self, cr, item->y);
          break;
        case ITEM_CONTINUED_HEADER:
          block_continued_header (self, cr, item->y);
          break;
        case ITEM_TABLE_HEADER:
          block_table_header (self, cr, item->y);
          break;
        case ITEM_ROW:
          draw_row (self, cr, item->index, item->y);
          break;
        case ITEM_TABLE_END:
          draw_rule (cr, self->left, self->right, item->y, 0.6, &RULE);
          break;
        case ITEM_CLOSING:
          block_closing (self, cr, item->y);
          break;
        case ITEM_PAYMENT:
          block_payment (self, cr, item->y);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  draw_footer (self, cr, page);
  draw_watermark (self, cr);

  cairo_restore (cr);
}

/* ------------------------------------------------------------------ */
/* PDF                                                                 */

static cairo_status_t
append_to_buffer (void                *closure,
                  const unsigned char *data,
                  unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static char *
pdf_date_now (void)
{
  g_autoptr(GDateTime) now = NULL;
  const char *epoch = g_getenv ("SOURCE_DATE_EPOCH");
  guint64 seconds;

  /* Reproducible builds' convention, handy for comparing output. */
  if (epoch != NULL && g_ascii_string_to_unsigned (epoch, 10, 0, G_MAXINT64, &seconds, NULL))
    now = g_date_time_new_from_unix_utc ((gint64) seconds);
  else
    now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S%:z");
}

/**
 * bb_invoice_pdf_write:
 * @options: (nullable): %NULL for the book's settings
 * @path: where to write; an existing file is replaced whole, only once
 *   the new one is complete
 *
 * Writes @invoice as a PDF, as Print would print it, readable by its
 * owner only (mode 0600). The document's title is the bill's
 * ("Invoice INV-2026-0001"), its author the business.
 */
gboolean
bb_invoice_pdf_write (BbDb                       *db,
                      BbInvoice                  *invoice,
                      const BbInvoicePdfOptions  *options,
                      const char                 *path,
                      GError                    **error)
{
  g_autoptr(BbInvoiceLayout) layout = NULL;
  g_autoptr(BbBusiness) business = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  g_autofree char *created = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *total = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (BB_IS_INVOICE (invoice), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layout = bb_invoice_layout_new (db, invoice, options, NULL, error);
  if (layout == NULL)
    return FALSE;

  business = bb_business_load (db);
  total = bb_money_format (invoice->total, bb_currency_lookup (invoice->currency));
  if (has_text (invoice->customer_name))
    /* Translators: the PDF's subject: "Invoice INV-2026-0001 for Wang Xiaoming, total ¥1,234.50" */
    subject = g_strdup_printf (_("%s for %s, total %s"), layout->title, invoice->customer_name, total);
  else
    /* Translators: the PDF's subject: "Invoice INV-2026-0001, total ¥1,234.50" */
    subject = g_strdup_printf (_("%s, total %s"), layout->title, total);
  created = pdf_date_now ();

  buffer = g_byte_array_sized_new (64 * 1024);
  surface = cairo_pdf_surface_create_for_stream (append_to_buffer, buffer,
                                                 layout->page_width, layout->page_height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, layout->title);
  if (has_text (business->name))
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, business->name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Billbook " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);

  cr = cairo_create (surface);
  for (guint page = 0; page < layout->pages->len; page++)
    {
      bb_invoice_layout_draw_page (layout, cr, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not make the PDF of %s: %s"), layout->title, cairo_status_to_string (status));
      return FALSE;
    }

  return g_file_set_contents_full (path, (const char *) buffer->data, buffer->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
