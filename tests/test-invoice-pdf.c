/* test-invoice-pdf.c — the bill on paper: layout, pages, PDF, amount in words
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Also a helper for test-invoice-pdf.sh:
 *   test-invoice-pdf --make-book PATH [--chinese] [--lines N]
 * makes a book at PATH with one issued bill and prints "number=…" and
 * "total=…" for the script to look for.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-invoice-pdf.h"
#include "bb-invoices.h"

/* ---- A book with a bill ---------------------------------------------- */

static const char * const english_items[] = {
  "Ballpoint pens, blue, box of 12",
  "Copy paper A4, 80 g/m², ream of 500 sheets",
  "Stapler, heavy duty, up to 100 sheets, with a box of 5,000 staples and a staple remover",
  "Ring binders A4, 4 cm spine, assorted colours",
  "Sticky notes 76 × 76 mm, yellow, pad of 100",
  "Desk calculator, 12 digits",
  "Whiteboard markers, set of 4",
  "Envelopes C5, self-seal, box of 50",
};

static const char * const chinese_items[] = {
  "A4 复印纸（70 克，500 张/包）",
  "得力 0.5mm 中性笔 黑色 12 支装",
  "订书机 12 号（含订书钉 1000 枚）",
  "文件夹 A4 蓝色",
  "桌面计算器 12 位",
  "便利贴 76×76mm 黄色",
  "透明胶带 18mm×30m",
  "白板笔 红色 4 支装",
};

/* A small logo and a QR-like code, drawn here so the test needs no files. */
static void
write_logo (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 640);
  cairo_t *cr = cairo_create (surface);

  cairo_arc (cr, 320, 320, 300, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.11, 0.29, 0.46);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 190, 170, 120, 300);
  cairo_rectangle (cr, 330, 170, 120, 300);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.95, 0.65, 0.15);
  cairo_rectangle (cr, 310, 150, 20, 340);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
write_qr (const char *path)
{
  const int modules = 29, scale = 8, quiet = 4;
  const int size = (modules + 2 * quiet) * scale;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
  cairo_t *cr = cairo_create (surface);
  GRand *rand = g_rand_new_with_seed (7);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int y = 0; y < modules; y++)
    for (int x = 0; x < modules; x++)
      {
        gboolean finder = (x < 8 && y < 8) || (x >= modules - 8 && y < 8) || (x < 8 && y >= modules - 8);
        gboolean dark;

        if (finder)
          {
            int fx = x >= modules - 8 ? x - (modules - 7) : x;
            int fy = y >= modules - 8 ? y - (modules - 7) : y;

            dark = fx >= 0 && fx < 7 && fy >= 0 && fy < 7 &&
                   (fx == 0 || fx == 6 || fy == 0 || fy == 6 ||
                    (fx >= 2 && fx <= 4 && fy >= 2 && fy <= 4));
          }
        else
          {
            dark = g_rand_boolean (rand);
          }
        if (dark)
          cairo_rectangle (cr, (x + quiet) * scale, (y + quiet) * scale, scale, scale);
      }
  cairo_fill (cr);
  cairo_destroy (cr);
  g_rand_free (rand);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
set_str (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
set_setting (BbDb       *db,
             const char *key,
             const char *value)
{
  g_autoptr(GError) error = NULL;

  bb_db_set_setting (db, key, value, &error);
  g_assert_no_error (error);
}

typedef struct
{
  gboolean chinese;
  guint    n_lines;
  gboolean images;
  gboolean words;
  gboolean issue;
} BookSpec;

/* Makes the business, a customer and one bill; returns the bill's id. */
static gint64
make_bill (BbDb           *db,
           const char     *dir,
           const BookSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) customer = bb_customer_new ();
  g_autoptr(BbInvoice) invoice = bb_invoice_new ();
  BbBusiness business = { 0 };

  if (spec->chinese)
    {
      business.name = (char *) "上海明远文具有限公司";
      business.address = (char *) "上海市徐汇区漕溪北路 88 号 1 楼\n邮编 200030";
      business.phone = (char *) "021-6488 1234";
      business.tax_id = (char *) "91310104MA1FL2AB3C";
      business.currency = (char *) "CNY";
    }
  else
    {
      business.name = (char *) "Harbour Lane Stationery";
      business.address = (char *) "12 Harbour Lane, Suite 4\nSan Francisco, CA 94111";
      business.phone = (char *) "+1 415 555 0134";
      business.tax_id = (char *) "94-1234567";
      business.currency = (char *) "USD";
    }
  bb_business_save (db, &business, &error);
  g_assert_no_error (error);

  if (spec->images)
    {
      g_autofree char *logo = g_build_filename (dir, "logo.png", NULL);
      g_autofree char *qr = g_build_filename (dir, "qr.png", NULL);

      write_logo (logo);
      write_qr (qr);
      set_setting (db, "billing.logo_path", logo);
      set_setting (db, "billing.qr_path", qr);
    }
  set_setting (db, "billing.payment_text",
               spec->chinese
               ? "开户行：中国工商银行上海漕溪支行\n户名：上海明远文具有限公司\n账号：1001 2345 6789 0123 456\n支付宝：pay@mingyuan.example.cn"
               : "Bank: First Harbour Bank, San Francisco\nAccount name: Harbour Lane Stationery LLC\nAccount: 0123 4567 8901 · Routing: 121000358");
  set_setting (db, "billing.amount_in_words", spec->words ? "1" : "0");

  if (spec->chinese)
    {
      set_str (&customer->name, "王小明");
      set_str (&customer->company, "明辉商贸有限公司");
      set_str (&customer->address, "北京市朝阳区建国路 93 号万达广场 8 号楼 1201 室");
      set_str (&customer->phone, "138 0013 8000");
      set_str (&customer->email, "wangxm@example.cn");
      set_str (&customer->tax_id, "91110105MA01ABCD2E");
      set_str (&customer->code, "C0001");
    }
  else
    {
      set_str (&customer->name, "Dana Whitfield");
      set_str (&customer->company, "Northwind Traders Inc.");
      set_str (&customer->address, "400 Market Street, Floor 9\nSan Francisco, CA 94105");
      set_str (&customer->phone, "+1 415 555 0199");
      set_str (&customer->email, "dana@northwind.example.com");
      set_str (&customer->tax_id, "94-7654321");
      set_str (&customer->code, "C0001");
    }
  /* A second bill in the same book: a second customer, code generated. */
  {
    g_autoptr(BbCustomer) first = bb_customers_get_by_code (db, "C0001", NULL);

    if (first != NULL)
      set_str (&customer->code, "");
  }
  bb_customers_save (db, customer, &error);
  g_assert_no_error (error);

  invoice->customer_id = customer->id;
  set_str (&invoice->issued_on, "2026-03-02");
  set_str (&invoice->due_on, "2026-04-01");
  set_str (&invoice->currency, spec->chinese ? "CNY" : "USD");
  set_str (&invoice->notes,
             spec->chinese
             ? "感谢惠顾！请于到期日前付款，付款时请注明账单号。如有疑问请致电 021-6488 1234。"
             : "Thank you for your business. Please quote the bill number with your payment.");

  for (guint i = 0; i < spec->n_lines; i++)
    {
      const char *item = spec->chinese ? chinese_items[i % G_N_ELEMENTS (chinese_items)]
                                       : english_items[i % G_N_ELEMENTS (english_items)];
      g_autofree char *description = spec->chinese
        ? g_strdup_printf ("%s", item)
        : g_strdup_printf ("Item %03u – %s", i + 1, item);
      BbQuantity quantity = (1 + (i * 7) % 12) * BB_QUANTITY_ONE + (i % 5 == 0 ? 500 : 0);
      BbMoney price = 150 + (BbMoney) ((i * 3137) % 9000);
      BbRate discount = i % 6 == 0 ? 1000 : (i % 9 == 0 ? 550 : 0);
      BbRate tax = spec->chinese ? 1300 : (i % 4 == 3 ? 0 : 825);

      bb_invoice_add_line (invoice, description, quantity, price, discount, tax);
    }

  bb_invoices_save_draft (db, invoice, &error);
  g_assert_no_error (error);

  if (spec->issue)
    {
      bb_invoices_submit (db, invoice->id, &error);
      g_assert_no_error (error);
      bb_invoices_issue (db, invoice->id, &error);
      g_assert_no_error (error);
    }

  return invoice->id;
}

/* ---- Fixture ----------------------------------------------------------- */

typedef struct
{
  char *dir;
  char *path;
  BbDb *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("billbook-pdf-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "book.db", NULL);
  f->db = bb_db_open (f->path, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->db);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static BbInvoice *
make_and_get (Fixture        *f,
              const BookSpec *spec)
{
  g_autoptr(GError) error = NULL;
  gint64 id = make_bill (f->db, f->dir, spec);
  BbInvoice *invoice = bb_invoices_get (f->db, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (invoice);
  return invoice;
}

/* Draws @page on white and counts the pixels that are not white. */
static guint
count_ink (BbInvoiceLayout *layout,
           guint            page)
{
  double width, height;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint ink = 0;
  int stride;
  guchar *data;

  bb_invoice_layout_get_page_size (layout, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (width), (int) ceil (height));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  bb_invoice_layout_draw_page (layout, cr, page);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      if ((*(guint32 *) (data + y * stride + 4 * x) & 0xffffff) != 0xffffff)
        ink++;

  cairo_surface_destroy (surface);
  return ink;
}

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* The page count cairo writes in the document's /Pages object; -1 if it
 * cannot be seen (a cairo that compresses its objects). */
static int
pdf_page_count (const char *contents,
                gsize       length)
{
  g_autoptr(GRegex) regex = g_regex_new ("/Type\\s*/Pages\\b[^>]*?/Count\\s+(\\d+)", G_REGEX_RAW | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *count = NULL;

  if (!g_regex_match_full (regex, contents, (gssize) length, 0, 0, &match, NULL))
    return -1;
  count = g_match_info_fetch (match, 1);
  return atoi (count);
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

/* ---- Amount in words ------------------------------------------------- */

static void
test_words_chinese (void)
{
  const struct { BbMoney fen; const char *words; } cases[] = {
    { 0, "零元整" },
    { 5, "伍分" },
    { 50, "伍角整" },
    { 56, "伍角陆分" },
    { 100, "壹元整" },
    { 1000, "壹拾元整" },
    { 1050, "壹拾元伍角整" },
    { 1500, "壹拾伍元整" },
    { 10001, "壹佰元零壹分" },
    { 123456, "壹仟贰佰叁拾肆元伍角陆分" },
    { 123450, "壹仟贰佰叁拾肆元伍角整" },
    { 100100, "壹仟零壹元整" },
    { 140950, "壹仟肆佰零玖元伍角整" },
    { 600714, "陆仟零柒元壹角肆分" },
    { 168032, "壹仟陆佰捌拾元叁角贰分" },
    { 1640902, "壹万陆仟肆佰零玖元零贰分" },
    { 1001001, "壹万零壹拾元零壹分" },
    { 10000000, "壹拾万元整" },
    { 10700053, "壹拾万柒仟元伍角叁分" },
    { 10010000, "壹拾万零壹佰元整" },
    { 100001000, "壹佰万零壹拾元整" },
    { 325000000, "叁佰贰拾伍万元整" },
    { 10000000000, "壹亿元整" },
    { 10001000000, "壹亿零壹万元整" },
    { 10000000100, "壹亿零壹元整" },
    { 11000000000, "壹亿壹仟万元整" },
    { 100000000000, "壹拾亿元整" },
    { 100000000000000, "壹万亿元整" },
    { 100010000000000, "壹万零壹亿元整" },
    { -100, "负壹元整" },
    { -123456, "负壹仟贰佰叁拾肆元伍角陆分" },
    { -5, "负伍分" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = bb_money_to_chinese_uppercase (cases[i].fen);

      g_test_message ("%" G_GINT64_FORMAT " fen → %s", cases[i].fen, words);
      g_assert_cmpstr (words, ==, cases[i].words);
    }

  /* The extremes do not crash or overflow. */
  {
    g_autofree char *most = bb_money_to_chinese_uppercase (G_MAXINT64);
    g_autofree char *least = bb_money_to_chinese_uppercase (G_MININT64);

    g_assert_true (g_str_has_suffix (most, "柒分"));
    g_assert_true (g_str_has_prefix (least, "负"));
    g_assert_true (g_str_has_suffix (least, "捌分"));
  }

  /* bb_money_to_words() uses 大写 for renminbi. */
  {
    g_autofree char *words = bb_money_to_words (123456, bb_currency_lookup ("CNY"));

    g_assert_cmpstr (words, ==, "壹仟贰佰叁拾肆元伍角陆分");
  }
}

static void
test_words_english (void)
{
  const struct { BbMoney amount; const char *code; const char *words; } cases[] = {
    { 123456, "USD", "One thousand two hundred thirty-four US dollars and fifty-six cents" },
    { 100, "USD", "One US dollar" },
    { 101, "USD", "One US dollar and one cent" },
    { 5, "EUR", "Five cents" },
    { 0, "EUR", "Zero euros" },
    { 2000000000, "GBP", "Twenty million pounds" },
    { 1515, "GBP", "Fifteen pounds and fifteen pence" },
    { 12, "JPY", "Twelve yen" },
    { 1000001, "JPY", "One million one yen" },
    { -500, "EUR", "Minus five euros" },
    { 7011900, "HKD", "Seventy thousand one hundred nineteen Hong Kong dollars" },
    { 1000000000000, "CHF", "Ten billion Swiss francs" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = bb_money_to_words (cases[i].amount, bb_currency_lookup (cases[i].code));

      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

/* ---- Options --------------------------------------------------------- */

static void
test_options (Fixture       *f,
              gconstpointer  data)
{
  BbInvoicePdfOptions options = { BB_PAPER_LETTER, TRUE };
  BbPaperSize paper = BB_PAPER_A4;
  double width, height;

  bb_invoice_pdf_options_from_settings (f->db, &options);
  g_assert_cmpint (options.paper, ==, BB_PAPER_A4);
  g_assert_false (options.amount_in_words);

  set_setting (f->db, "billing.paper", "letter");
  set_setting (f->db, "billing.amount_in_words", "1");
  bb_invoice_pdf_options_from_settings (f->db, &options);
  g_assert_cmpint (options.paper, ==, BB_PAPER_LETTER);
  g_assert_true (options.amount_in_words);

  set_setting (f->db, "billing.paper", "tabloid");
  set_setting (f->db, "billing.amount_in_words", "0");
  bb_invoice_pdf_options_from_settings (f->db, &options);
  g_assert_cmpint (options.paper, ==, BB_PAPER_A4);
  g_assert_false (options.amount_in_words);

  g_assert_true (bb_paper_size_from_string ("Letter", &paper));
  g_assert_cmpint (paper, ==, BB_PAPER_LETTER);
  g_assert_false (bb_paper_size_from_string ("a5", &paper));
  g_assert_cmpstr (bb_paper_size_to_string (BB_PAPER_A4), ==, "a4");

  bb_paper_size_get_size (BB_PAPER_A4, &width, &height);
  g_assert_cmpfloat_with_epsilon (width, 595.276, 0.01);
  g_assert_cmpfloat_with_epsilon (height, 841.89, 0.01);
  bb_paper_size_get_size (BB_PAPER_LETTER, &width, &height);
  g_assert_cmpfloat (width, ==, 612);
  g_assert_cmpfloat (height, ==, 792);
}

/* ---- Layout ---------------------------------------------------------- */

static void
test_layout_short (Fixture       *f,
                   gconstpointer  data)
{
  BookSpec spec = { .n_lines = 3, .issue = TRUE };
  g_autoptr(BbInvoice) invoice = make_and_get (f, &spec);
  g_autoptr(GError) error = NULL;
  BbInvoicePdfOptions options = { BB_PAPER_LETTER, FALSE };
  g_autoptr(BbInvoiceLayout) layout = bb_invoice_layout_new (f->db, invoice, &options, NULL, &error);
  double width, height;

  g_assert_no_error (error);
  g_assert_cmpuint (bb_invoice_layout_get_n_pages (layout), ==, 1);
  bb_invoice_layout_get_page_size (layout, &width, &height);
  g_assert_cmpfloat (width, ==, 612);
  g_assert_cmpfloat (height, ==, 792);
  g_assert_cmpstr (bb_invoice_layout_get_title (layout), ==, "Invoice INV-2026-0001");

  g_assert_cmpuint (count_ink (layout, 0), >, 20000);
}

static void
test_layout_long (Fixture       *f,
                  gconstpointer  data)
{
  BookSpec spec = { .n_lines = 120, .images = TRUE, .words = TRUE, .issue = TRUE };
  g_autoptr(BbInvoice) invoice = make_and_get (f, &spec);
  g_autoptr(GError) error = NULL;
  BbInvoicePdfOptions options = { BB_PAPER_A4, TRUE };
  g_autoptr(BbInvoiceLayout) layout = bb_invoice_layout_new (f->db, invoice, &options, NULL, &error);
  g_autofree char *pdf = g_build_filename (f->dir, "bill.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GDir) dir = NULL;
  GStatBuf st;
  gsize length;
  guint n_pages;
  int counted;
  const char *name;

  g_assert_no_error (error);
  n_pages = bb_invoice_layout_get_n_pages (layout);
  g_assert_cmpuint (n_pages, >, 2);
  for (guint page = 0; page < n_pages; page++)
    g_assert_cmpuint (count_ink (layout, page), >, 5000);

  bb_invoice_pdf_write (f->db, invoice, &options, pdf, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  contents = read_file (pdf, &length);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  counted = pdf_page_count (contents, length);
  if (counted >= 0)
    g_assert_cmpint (counted, ==, (int) n_pages);
  else
    g_test_message ("This cairo compresses the page tree; page count not checked here");
  g_assert_true (memory_contains (contents, length, "Billbook " PACKAGE_VERSION));

  /* No temporary file is left beside it. */
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, "bill.pdf") && strcmp (name, "bill.pdf") != 0);

  /* Writing again replaces it. */
  bb_invoice_pdf_write (f->db, invoice, &options, pdf, &error);
  g_assert_no_error (error);
}

static void
test_layout_chinese (Fixture       *f,
                     gconstpointer  data)
{
  BookSpec spec = { .chinese = TRUE, .n_lines = 12, .words = TRUE, .issue = TRUE };
  g_autoptr(BbInvoice) invoice = make_and_get (f, &spec);
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "账单.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *families = NULL;
  g_autoptr(BbInvoiceLayout) layout = NULL;
  gsize length;

  bb_invoice_pdf_write (f->db, invoice, NULL, pdf, &error);
  g_assert_no_error (error);

  /* The Simplified Chinese face, not the Japanese one that fontconfig
   * picks for Han text without a language. */
  layout = bb_invoice_layout_new (f->db, invoice, NULL, NULL, &error);
  g_assert_no_error (error);
  families = _bb_invoice_layout_get_font_families (layout);
  g_test_message ("Fonts of the bill's text: %s", families);
  if (strstr (families, "CJK") != NULL)
    {
      g_assert_nonnull (strstr (families, "Noto Sans CJK SC"));
      g_assert_null (strstr (families, "CJK JP"));
    }
  else
    {
      g_test_message ("Noto Sans CJK is not installed (fonts-noto-cjk); face not checked");
    }

  /* Its glyphs are drawn as outlines, not through cairo 1.16's CFF
   * subsetter, which empties parts of some (如 loses its 口). */
  contents = read_file (pdf, &length);
  g_assert_false (memory_contains (contents, length, "NotoSansCJK"));
  g_assert_true (memory_contains (contents, length, "/Type3"));
}

static void
test_layout_states (Fixture       *f,
                    gconstpointer  data)
{
  BookSpec spec = { .n_lines = 4, .issue = TRUE };
  g_autoptr(BbInvoice) issued = make_and_get (f, &spec);
  g_autoptr(BbInvoice) voided = NULL;
  g_autoptr(BbInvoice) credit = NULL;
  g_autoptr(BbInvoice) draft = NULL;
  g_autoptr(BbInvoiceLayout) layout = NULL;
  g_autoptr(GError) error = NULL;

  GDate today;

  /* A draft has no number yet. */
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 5, G_DATE_MARCH, 2026);
  draft = bb_invoices_duplicate (f->db, issued->id, &today, &error);
  g_assert_no_error (error);
  layout = bb_invoice_layout_new (f->db, draft, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bb_invoice_layout_get_title (layout), ==, "Invoice (draft)");
  g_assert_cmpuint (count_ink (layout, 0), >, 10000);
  g_clear_pointer (&layout, bb_invoice_layout_free);

  /* A credit note */
  credit = bb_invoices_create_credit_note (f->db, issued->id, &error);
  g_assert_no_error (error);
  bb_invoices_submit (f->db, credit->id, &error);
  g_assert_no_error (error);
  bb_invoices_issue (f->db, credit->id, &error);
  g_assert_no_error (error);
  {
    gint64 credit_id = credit->id;

    g_clear_object (&credit);
    credit = bb_invoices_get (f->db, credit_id, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpint (credit->kind, ==, BB_INVOICE_KIND_CREDIT_NOTE);
  layout = bb_invoice_layout_new (f->db, credit, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bb_invoice_layout_get_title (layout), "Credit Note "));
  g_assert_cmpuint (count_ink (layout, 0), >, 10000);
  g_clear_pointer (&layout, bb_invoice_layout_free);

  /* A void bill still prints, marked void. */
  bb_invoices_void (f->db, issued->id, "Wrong customer", &error);
  g_assert_no_error (error);
  voided = bb_invoices_get (f->db, issued->id, &error);
  g_assert_no_error (error);
  layout = bb_invoice_layout_new (f->db, voided, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_ink (layout, 0), >, 10000);
}

static void
test_layout_tall_row (Fixture       *f,
                      gconstpointer  data)
{
  BookSpec spec = { .n_lines = 3 };
  g_autoptr(BbInvoice) invoice = make_and_get (f, &spec);
  g_autoptr(BbInvoiceLayout) layout = NULL;
  g_autoptr(GError) error = NULL;
  GString *tall = g_string_new (NULL);
  BbInvoiceLine *line;

  /* A description taller than a page is cut short, not run off it; a
   * long unbroken word wraps. */
  for (guint i = 0; i < 400; i++)
    g_string_append_printf (tall, "Line %u of a very long description.\n", i + 1);
  g_string_append (tall, "Supercalifragilisticexpialidocious-and-then-some-more-without-any-spaces-at-all-0123456789");
  line = g_ptr_array_index (invoice->lines, 1);
  g_free (line->description);
  line->description = g_string_free (tall, FALSE);

  layout = bb_invoice_layout_new (f->db, invoice, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bb_invoice_layout_get_n_pages (layout), >=, 2);
  g_assert_cmpuint (bb_invoice_layout_get_n_pages (layout), <=, 4);
  for (guint page = 0; page < bb_invoice_layout_get_n_pages (layout); page++)
    g_assert_cmpuint (count_ink (layout, page), >, 2000);
}

static void
test_layout_missing_images (Fixture       *f,
                            gconstpointer  data)
{
  BookSpec spec = { .n_lines = 2 };
  g_autoptr(BbInvoice) invoice = make_and_get (f, &spec);
  g_autoptr(BbInvoiceLayout) layout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *not_png = g_build_filename (f->dir, "logo.jpg", NULL);

  g_file_set_contents (not_png, "\xff\xd8\xff\xe0 not a png", -1, &error);
  g_assert_no_error (error);
  set_setting (f->db, "billing.logo_path", not_png);
  set_setting (f->db, "billing.qr_path", "/nonexistent/qr.png");

  layout = bb_invoice_layout_new (f->db, invoice, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bb_invoice_layout_get_n_pages (layout), ==, 1);
  g_assert_cmpuint (count_ink (layout, 0), >, 10000);
}

/* The print dialog's context: another font map, drawing on a scaled cr. */
static void
test_layout_scaled (Fixture       *f,
                    gconstpointer  data)
{
  BookSpec spec = { .n_lines = 30, .issue = TRUE };
  g_autoptr(BbInvoice) invoice = make_and_get (f, &spec);
  g_autoptr(GError) error = NULL;
  PangoFontMap *font_map = pango_cairo_font_map_new ();
  PangoContext *context = pango_font_map_create_context (font_map);
  g_autoptr(BbInvoiceLayout) plain = bb_invoice_layout_new (f->db, invoice, NULL, NULL, &error);
  g_autoptr(BbInvoiceLayout) layout = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  /* A context at 300 dpi lays out the same pages. */
  pango_cairo_context_set_resolution (context, 300);
  layout = bb_invoice_layout_new (f->db, invoice, NULL, context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bb_invoice_layout_get_n_pages (layout), ==, bb_invoice_layout_get_n_pages (plain));

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1240, 1754);
  cr = cairo_create (surface);
  cairo_scale (cr, 150.0 / 72, 150.0 / 72);
  for (guint page = 0; page < bb_invoice_layout_get_n_pages (layout); page++)
    bb_invoice_layout_draw_page (layout, cr, page);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  g_object_unref (context);
  g_object_unref (font_map);
}

static void
test_write_errors (Fixture       *f,
                   gconstpointer  data)
{
  BookSpec spec = { .n_lines = 2 };
  g_autoptr(BbInvoice) invoice = make_and_get (f, &spec);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "no-such-dir", "bill.pdf", NULL);

  g_assert_false (bb_invoice_pdf_write (f->db, invoice, NULL, path, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* ---- Time ------------------------------------------------------------ */

static void
test_time (Fixture       *f,
           gconstpointer  data)
{
  BookSpec spec = { .n_lines = 120, .images = TRUE, .words = TRUE, .issue = TRUE };
  gint64 id = make_bill (f->db, f->dir, &spec);
  g_autofree char *pdf = g_build_filename (f->dir, "bill.pdf", NULL);
  g_autoptr(GError) error = NULL;
  BookSpec small_spec = { .n_lines = 8, .issue = TRUE };
  BookSpec chinese_spec = { .chinese = TRUE, .n_lines = 120, .images = TRUE, .words = TRUE, .issue = TRUE };
  gint64 small_id, chinese_id;
  gint64 start, first;
  const guint rounds = 20;

  /* The first one also loads fontconfig's configuration and the fonts. */
  start = g_get_monotonic_time ();
  {
    g_autoptr(BbInvoice) invoice = bb_invoices_get (f->db, id, &error);

    bb_invoice_pdf_write (f->db, invoice, NULL, pdf, &error);
    g_assert_no_error (error);
  }
  first = g_get_monotonic_time () - start;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(BbInvoice) invoice = bb_invoices_get (f->db, id, &error);

      g_assert_no_error (error);
      bb_invoice_pdf_write (f->db, invoice, NULL, pdf, &error);
      g_assert_no_error (error);
    }
  g_test_message ("PDF of a 120-line bill: first %.1f ms, then %.1f ms each (read, lay out, write; %u rounds)",
                  first / 1000.0, (g_get_monotonic_time () - start) / 1000.0 / rounds, rounds);

  small_id = make_bill (f->db, f->dir, &small_spec);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(BbInvoice) invoice = bb_invoices_get (f->db, small_id, &error);

      g_assert_no_error (error);
      bb_invoice_pdf_write (f->db, invoice, NULL, pdf, &error);
      g_assert_no_error (error);
    }
  g_test_message ("PDF of an 8-line bill: %.1f ms each (%u rounds)",
                  (g_get_monotonic_time () - start) / 1000.0 / rounds, rounds);

  chinese_id = make_bill (f->db, f->dir, &chinese_spec);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(BbInvoice) invoice = bb_invoices_get (f->db, chinese_id, &error);

      g_assert_no_error (error);
      bb_invoice_pdf_write (f->db, invoice, NULL, pdf, &error);
      g_assert_no_error (error);
    }
  g_test_message ("PDF of a 120-line Chinese bill: %.1f ms each (%u rounds)",
                  (g_get_monotonic_time () - start) / 1000.0 / rounds, rounds);
}

/* ---- The helper for test-invoice-pdf.sh ------------------------------ */

static int
make_book_main (int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = NULL;
  g_autoptr(BbInvoice) invoice = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *total = NULL;
  const char *path = NULL;
  BookSpec spec = { .n_lines = 120, .images = TRUE, .words = TRUE, .issue = TRUE };
  gint64 id;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--make-book") == 0 && i + 1 < argc)
        path = argv[++i];
      else if (strcmp (argv[i], "--chinese") == 0)
        spec.chinese = TRUE;
      else if (strcmp (argv[i], "--lines") == 0 && i + 1 < argc)
        spec.n_lines = (guint) atoi (argv[++i]);
      else if (strcmp (argv[i], "--no-images") == 0)
        spec.images = FALSE;
    }
  if (path == NULL)
    {
      g_printerr ("Usage: test-invoice-pdf --make-book PATH [--chinese] [--lines N] [--no-images]\n");
      return 1;
    }

  dir = g_path_get_dirname (path);
  db = bb_db_open (path, &error);
  if (db == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  id = make_bill (db, dir, &spec);
  invoice = bb_invoices_get (db, id, &error);
  g_assert_no_error (error);
  total = bb_money_format (invoice->total, bb_currency_lookup (invoice->currency));
  g_print ("number=%s\ntotal=%s\n", invoice->number, total);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--make-book") == 0)
      return make_book_main (argc, argv);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/invoice-pdf/words/chinese", test_words_chinese);
  g_test_add_func ("/invoice-pdf/words/english", test_words_english);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/invoice-pdf/options", test_options);
  ADD ("/invoice-pdf/layout/short", test_layout_short);
  ADD ("/invoice-pdf/layout/long", test_layout_long);
  ADD ("/invoice-pdf/layout/chinese", test_layout_chinese);
  ADD ("/invoice-pdf/layout/states", test_layout_states);
  ADD ("/invoice-pdf/layout/tall-row", test_layout_tall_row);
  ADD ("/invoice-pdf/layout/missing-images", test_layout_missing_images);
  ADD ("/invoice-pdf/layout/scaled", test_layout_scaled);
  ADD ("/invoice-pdf/write/errors", test_write_errors);
  ADD ("/invoice-pdf/time", test_time);
#undef ADD

  return g_test_run ();
}
