/* bb-dunning-pdf.c — a dunning letter: a customer's overdue bills on paper
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The letter asks a customer to pay what they owe: the business's block,
 * the customer's address and the date, a polite, firm or final wording by
 * the dunning stage the bills reached on the ladder (bb-reminders.c), a
 * table of every bill still owing (number, date, due date, days overdue,
 * amount owed; issued late fees among them), the total, a new pay-by date
 * and how to pay, with the payment QR code as on the bill.
 *
 * Drawn directly on a cairo PDF surface with Pango, as the bill is (and
 * with its _bb_pdf_show_layout(), so Chinese survives cairo's font
 * subsetting); a new page starts when the table runs out of room.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-dunning-pdf.h"
#include "bb-invoice-pdf-private.h"
#include "bb-text.h"

#define MM            (72.0 / 25.4)
#define MARGIN        (20.0 * MM)
#define QR_SIZE       (28.0 * MM)
#define ROW_PAD       4.0

typedef struct
{
  double r, g, b;
} Rgb;

static const Rgb INK    = { 0.11, 0.12, 0.14 };
static const Rgb MUTED  = { 0.37, 0.40, 0.44 };
static const Rgb ACCENT = { 0.11, 0.29, 0.46 };
static const Rgb ALERT  = { 0.65, 0.11, 0.11 };
static const Rgb RULE   = { 0.75, 0.78, 0.82 };
static const Rgb FILL   = { 0.89, 0.92, 0.955 };

typedef struct
{
  char   *number;
  char   *issued_on;
  char   *due_on;
  gint64  days_overdue;   /* <= 0: not yet overdue */
  BbMoney owed;
  gboolean fee;
} Bill;

typedef struct
{
  PangoContext     *context;
  PangoContext     *context_cjk;
  cairo_t          *cr;
  double            width, height;
  double            left, right, top, bottom;
  double            y;
  guint             page;
  const char       *footer;
} Letter;

/* ---- Text ------------------------------------------------------------ */

static PangoLayout *
text_new (Letter     *l,
          const char *text,
          double      size,
          gboolean    bold,
          double      wrap_width)
{
  gboolean cjk = _bb_pdf_text_is_cjk (text);

  return _bb_pdf_layout_new (cjk ? l->context_cjk : l->context, cjk, text, size, bold, wrap_width);
}

static void
set_color (cairo_t   *cr,
           const Rgb *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
}

/* Draws @layout with its left (or, @align_right, right) edge at @x. */
static void
draw (Letter      *l,
      PangoLayout *layout,
      double       x,
      double       y,
      gboolean     align_right,
      const Rgb   *color)
{
  set_color (l->cr, color);
  cairo_move_to (l->cr, align_right ? x - _bb_pdf_text_width (layout) : x, y);
  _bb_pdf_show_layout (l->cr, layout);
}

/* A paragraph across the page; returns its height. */
static double
paragraph (Letter     *l,
           const char *text,
           double      size,
           gboolean    bold,
           const Rgb  *color)
{
  g_autoptr(PangoLayout) layout = NULL;
  double h;

  if (text == NULL || *text == '\0')
    return 0;

  layout = text_new (l, text, size, bold, l->right - l->left);
  h = _bb_pdf_text_height (layout);
  draw (l, layout, l->left, l->y, FALSE, color);
  l->y += h;
  return h;
}

static void
rule (Letter    *l,
      double     y,
      double     width,
      const Rgb *color)
{
  set_color (l->cr, color);
  cairo_set_line_width (l->cr, width);
  cairo_move_to (l->cr, l->left, y);
  cairo_line_to (l->cr, l->right, y);
  cairo_stroke (l->cr);
}

static void
footer (Letter *l)
{
  g_autofree char *page = g_strdup_printf (_("Page %u"), l->page + 1);
  g_autoptr(PangoLayout) left = text_new (l, l->footer, 7.5, FALSE, 0);
  g_autoptr(PangoLayout) right = text_new (l, page, 7.5, FALSE, 0);
  double y = l->height - MARGIN + 6;

  rule (l, y, 0.5, &RULE);
  draw (l, left, l->left, y + 4, FALSE, &MUTED);
  draw (l, right, l->right, y + 4, TRUE, &MUTED);
}

static void
new_page (Letter *l)
{
  footer (l);
  cairo_show_page (l->cr);
  l->page++;
  l->y = l->top;
}

/* Starts a new page unless @height fits under the current position. */
static void
ensure_room (Letter *l,
             double  height)
{
  if (l->y + height > l->bottom)
    new_page (l);
}

/* ---- The book -------------------------------------------------------- */

static void
bill_free (Bill *bill)
{
  g_free (bill->number);
  g_free (bill->issued_on);
  g_free (bill->due_on);
  g_free (bill);
}

static gint64
julian_of (const char *iso)
{
  GDate date;

  if (!bb_date_parse (iso, NULL, &date, NULL))
    return 0;
  return g_date_get_julian (&date);
}

/* Every issued bill of the customer still owing, oldest due first. */
static GPtrArray *
outstanding_bills (BbDb     *db,
                   gint64    customer_id,
                   gint64    today,
                   GError  **error)
{
  g_autoptr(GPtrArray) bills = g_ptr_array_new_with_free_func ((GDestroyNotify) bill_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "SELECT number, issued_on, due_on, open_balance, kind FROM invoices "
                         "WHERE customer_id = ?1 AND status = 'issued' AND open_balance > 0 "
                         "  AND kind <> 'credit_note' "
                         "ORDER BY due_on, number",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      Bill *bill = g_new0 (Bill, 1);

      bill->number = _bb_stmt_dup_text (stmt, 0);
      bill->issued_on = _bb_stmt_dup_text (stmt, 1);
      bill->due_on = _bb_stmt_dup_text (stmt, 2);
      bill->owed = sqlite3_column_int64 (stmt, 3);
      bill->fee = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 4), "fee") == 0;
      bill->days_overdue = today - julian_of (bill->due_on);
      g_ptr_array_add (bills, bill);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&bills);
}

/* The wording of the highest ladder step any of the bills reached. */
static BbReminderWording
stage_of (BbDb      *db,
          GPtrArray *bills)
{
  g_autoptr(GArray) ladder = bb_reminders_get_ladder (db);
  BbReminderWording wording = BB_REMINDER_POLITE;

  for (guint i = 0; i < bills->len; i++)
    {
      Bill *bill = g_ptr_array_index (bills, i);

      for (guint s = 0; s < ladder->len; s++)
        {
          const BbReminderStep *step = &g_array_index (ladder, BbReminderStep, s);

          if (step->days > 0 && step->days <= bill->days_overdue && step->wording > wording)
            wording = step->wording;
        }
    }

  return wording;
}

/* ---- Options --------------------------------------------------------- */

/**
 * bb_dunning_options_from_settings:
 *
 * The paper of the bills ("billing.paper"), BB_DUNNING_PAY_BY_DAYS to pay
 * ("reminders.pay_by_days" when set), the wording by stage.
 */
void
bb_dunning_options_from_settings (BbDb             *db,
                                  BbDunningOptions *options)
{
  BbInvoicePdfOptions bill;
  g_autofree char *days = NULL;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (options != NULL);

  bb_invoice_pdf_options_from_settings (db, &bill);
  options->paper = bill.paper;
  options->pay_by_days = BB_DUNNING_PAY_BY_DAYS;
  options->auto_wording = TRUE;
  options->wording = BB_REMINDER_POLITE;

  days = bb_db_get_setting (db, "reminders.pay_by_days");
  if (days != NULL)
    {
      gint64 n = g_ascii_strtoll (days, NULL, 10);

      if (n > 0 && n <= 365)
        options->pay_by_days = (int) n;
    }
}

/* ---- The letter ------------------------------------------------------ */

static const char *
title_of (BbReminderWording wording)
{
  switch (wording)
    {
    case BB_REMINDER_FIRM:
      return _("Overdue Notice");
    case BB_REMINDER_FINAL:
      return _("Final Notice");
    case BB_REMINDER_POLITE:
    default:
      return _("Payment Reminder");
    }
}

static const char *
body_of (BbReminderWording wording)
{
  switch (wording)
    {
    case BB_REMINDER_FIRM:
      return _("Despite our earlier reminders, the bills below are still unpaid and are now well past "
                "their due date. We must ask you to settle the balance promptly. If there is a problem "
                "with any of these bills, please contact us straight away so that we can resolve it.");
    case BB_REMINDER_FINAL:
      return _("This is our final reminder. The bills below remain unpaid despite several reminders. "
               "Unless the balance is paid in full by the date below, we will have to take further "
               "steps to recover it without further notice, which may include suspending our "
               "service to you.");
    case BB_REMINDER_POLITE:
    default:
      return _("Our records show that the bills below have not been paid yet. This may well be an "
               "oversight; we would be grateful if you could arrange payment. If you have already "
               "paid, please accept our thanks and disregard this letter.");
    }
}

typedef struct
{
  double x;        /* left edge, or right edge for numbers */
  gboolean right;
} Column;

static void
table_header (Letter       *l,
              const Column *columns,
              const char  **labels,
              guint         n)
{
  double h = 0;

  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PangoLayout) layout = text_new (l, labels[c], 8.5, TRUE, 0);

      h = MAX (h, _bb_pdf_text_height (layout));
    }

  ensure_room (l, h + 2 * ROW_PAD + 20);
  set_color (l->cr, &FILL);
  cairo_rectangle (l->cr, l->left, l->y, l->right - l->left, h + 2 * ROW_PAD);
  cairo_fill (l->cr);

  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PangoLayout) layout = text_new (l, labels[c], 8.5, TRUE, 0);

      draw (l, layout, columns[c].x, l->y + ROW_PAD, columns[c].right, &ACCENT);
    }
  l->y += h + 2 * ROW_PAD;
}

static cairo_status_t
append_to_buffer (void                *closure,
                  const unsigned char *data,
                  unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
render (BbDb                    *db,
        gint64                   customer_id,
        GDateTime               *now,
        const BbDunningOptions  *options,
        cairo_surface_t        **out_surface,
        GByteArray              *buffer,
        GError                 **error)
{
  g_autoptr(BbCustomer) customer = NULL;
  g_autoptr(BbBusiness) business = NULL;
  g_autoptr(GPtrArray) bills = NULL;
  g_autoptr(GDateTime) pay_by_time = NULL;
  g_autofree char *today_iso = NULL;
  g_autofree char *pay_by = NULL;
  g_autofree char *payment_text = NULL;
  g_autofree char *qr_path = NULL;
  g_autofree char *footer_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *fees_text = NULL;
  g_autofree char *overdue_text = NULL;
  const BbCurrency *currency;
  const char *chinese;
  const char *labels[5];
  Column columns[5];
  BbReminderWording wording;
  BbMoney total = 0, fees = 0, overdue = 0;
  cairo_surface_t *surface;
  double width, height;
  gint64 today;
  Letter l = { 0 };
  int y, m, d;

  customer = bb_customers_get (db, customer_id, error);
  if (customer == NULL)
    return FALSE;

  g_date_time_get_ymd (now, &y, &m, &d);
  today_iso = g_strdup_printf ("%04d-%02d-%02d", y, m, d);
  today = julian_of (today_iso);
  pay_by_time = g_date_time_add_days (now, options->pay_by_days > 0 ? options->pay_by_days : BB_DUNNING_PAY_BY_DAYS);
  pay_by = g_date_time_format (pay_by_time, "%Y-%m-%d");

  bills = outstanding_bills (db, customer_id, today, error);
  if (bills == NULL)
    return FALSE;
  if (bills->len == 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s (%s) owes nothing; there is no letter to write"), customer->name, customer->code);
      return FALSE;
    }

  business = bb_business_load (db);
  currency = bb_business_get_currency (db);
  payment_text = bb_db_get_setting (db, "billing.payment_text");
  qr_path = bb_db_get_setting (db, "billing.qr_path");
  wording = options->auto_wording ? stage_of (db, bills) : options->wording;

  for (guint i = 0; i < bills->len; i++)
    {
      Bill *bill = g_ptr_array_index (bills, i);

      total += bill->owed;
      if (bill->fee)
        fees += bill->owed;
      if (bill->days_overdue > 0)
        overdue += bill->owed;
    }

  bb_paper_size_get_size (options->paper, &width, &height);
  surface = cairo_pdf_surface_create_for_stream (append_to_buffer, buffer, width, height);
  *out_surface = surface;
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title_of (wording));
  if (business->name && *business->name)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, business->name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Billbook " PACKAGE_VERSION);

  chinese = _bb_pdf_chinese_of_locale ();
  l.context = _bb_pdf_context_new (NULL, chinese ? pango_language_from_string (chinese)
                                                 : pango_language_get_default (), 72.0);
  l.context_cjk = _bb_pdf_context_new (NULL, pango_language_from_string (chinese ? chinese : "zh-cn"), 72.0);
  l.cr = cairo_create (surface);
  l.width = width;
  l.height = height;
  l.left = MARGIN;
  l.right = width - MARGIN;
  l.top = MARGIN;
  l.bottom = height - MARGIN - 8;
  l.y = l.top;
  if (business->name && *business->name)
    /* Translators: the footer of a dunning letter: business, customer code, date */
    footer_text = g_strdup_printf (_("%s · %s · %s"), business->name, customer->code, today_iso);
  else
    /* Translators: the footer of a dunning letter: customer code, date */
    footer_text = g_strdup_printf (_("%s · %s"), customer->code, today_iso);
  l.footer = footer_text;

  /* The business, and on the right the letter's title and date */
  {
    g_autoptr(PangoLayout) title = text_new (&l, title_of (wording), 18, TRUE, 0);
    g_autofree char *date_text = g_strdup_printf (_("Date: %s"), today_iso);
    g_autoptr(PangoLayout) date = text_new (&l, date_text, 9.5, FALSE, 0);
    double top = l.y;
    double right_h;

    draw (&l, title, l.right, top, TRUE, wording == BB_REMINDER_FINAL ? &ALERT : &ACCENT);
    draw (&l, date, l.right, top + _bb_pdf_text_height (title) + 2, TRUE, &MUTED);
    right_h = _bb_pdf_text_height (title) + 2 + _bb_pdf_text_height (date);

    paragraph (&l, business->name, 15, TRUE, &INK);
    l.y += 2;
    paragraph (&l, business->address, 9, FALSE, &MUTED);
    paragraph (&l, business->phone, 9, FALSE, &MUTED);
    l.y = MAX (l.y, top + right_h) + 10;
    rule (&l, l.y, 1.2, &ACCENT);
    l.y += 18;
  }

  /* The customer */
  paragraph (&l, customer->name, 11, TRUE, &INK);
  if (customer->company && *customer->company && g_strcmp0 (customer->company, customer->name) != 0)
    paragraph (&l, customer->company, 9.5, FALSE, &INK);
  paragraph (&l, customer->address, 9.5, FALSE, &INK);
  {
    /* Translators: the customer's code in a dunning letter */
    g_autofree char *code = g_strdup_printf (_("Customer %s"), customer->code);

    paragraph (&l, code, 8.5, FALSE, &MUTED);
  }
  l.y += 18;

  /* The letter */
  {
    /* Translators: the salutation of a dunning letter */
    g_autofree char *dear = g_strdup_printf (_("Dear %s,"), customer->name);

    paragraph (&l, dear, 10, FALSE, &INK);
    l.y += 8;
    paragraph (&l, body_of (wording), 10, FALSE, &INK);
    l.y += 14;
  }

  /* The bills */
  labels[0] = _("Bill");
  labels[1] = _("Date");
  labels[2] = _("Due");
  labels[3] = _("Days overdue");
  labels[4] = _("Owed");
  columns[0] = (Column) { l.left + 5, FALSE };
  columns[1] = (Column) { l.left + (l.right - l.left) * 0.34, FALSE };
  columns[2] = (Column) { l.left + (l.right - l.left) * 0.51, FALSE };
  columns[3] = (Column) { l.left + (l.right - l.left) * 0.82, TRUE };
  columns[4] = (Column) { l.right - 5, TRUE };
  table_header (&l, columns, labels, 5);

  for (guint i = 0; i < bills->len; i++)
    {
      Bill *bill = g_ptr_array_index (bills, i);
      g_autofree char *number = bill->fee ? g_strdup_printf (_("%s (late fee)"), bill->number) : g_strdup (bill->number);
      g_autofree char *days = bill->days_overdue > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, bill->days_overdue)
                                                     : g_strdup (_("not yet due"));
      g_autofree char *owed = bb_money_format (bill->owed, currency);
      const char *cells[5] = { number, bill->issued_on, bill->due_on, days, owed };
      double h = 0;

      for (guint c = 0; c < 5; c++)
        {
          g_autoptr(PangoLayout) layout = text_new (&l, cells[c], 9, FALSE, 0);

          h = MAX (h, _bb_pdf_text_height (layout));
        }

      if (l.y + h + 2 * ROW_PAD > l.bottom)
        {
          new_page (&l);
          table_header (&l, columns, labels, 5);
        }

      for (guint c = 0; c < 5; c++)
        {
          g_autoptr(PangoLayout) layout = text_new (&l, cells[c], 9, FALSE, 0);

          draw (&l, layout, columns[c].x, l.y + ROW_PAD, columns[c].right,
                c == 3 && bill->days_overdue > 0 ? &ALERT : &INK);
        }
      l.y += h + 2 * ROW_PAD;
      rule (&l, l.y, 0.4, &RULE);
    }

  /* Totals */
  total_text = bb_money_format (total, currency);
  overdue_text = bb_money_format (overdue, currency);
  fees_text = bb_money_format (fees, currency);
  {
    struct { const char *label; const char *value; gboolean bold; gboolean shown; } lines[] = {
      { _("Of which overdue"), overdue_text, FALSE, overdue != total },
      { _("Of which late fees"), fees_text, FALSE, fees > 0 },
      { _("Total owed"), total_text, TRUE, TRUE },
    };

    ensure_room (&l, 60);
    l.y += 6;
    for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
      {
        g_autoptr(PangoLayout) label = NULL;
        g_autoptr(PangoLayout) value = NULL;

        if (!lines[i].shown)
          continue;
        label = text_new (&l, lines[i].label, lines[i].bold ? 10.5 : 9, lines[i].bold, 0);
        value = text_new (&l, lines[i].value, lines[i].bold ? 10.5 : 9, lines[i].bold, 0);
        draw (&l, label, columns[3].x, l.y, TRUE, lines[i].bold ? &INK : &MUTED);
        draw (&l, value, columns[4].x, l.y, TRUE, &INK);
        l.y += MAX (_bb_pdf_text_height (label), _bb_pdf_text_height (value)) + 3;
      }
    l.y += 14;
  }

  /* The new pay-by date */
  {
    /* Translators: in a dunning letter: the total owed and the new pay-by date */
    g_autofree char *ask = g_strdup_printf (_("Please pay %s by %s."), total_text, pay_by);

    ensure_room (&l, 40);
    paragraph (&l, ask, 11, TRUE, wording == BB_REMINDER_FINAL ? &ALERT : &INK);
    l.y += 14;
  }

  /* How to pay, and the QR code */
  {
    cairo_surface_t *qr = NULL;
    double qr_scale = 1, text_w = l.right - l.left;
    double top, h = 0;

    if (qr_path && *qr_path && g_str_has_suffix (qr_path, ".png"))
      {
        qr = cairo_image_surface_create_from_png (qr_path);
        if (cairo_surface_status (qr) != CAIRO_STATUS_SUCCESS)
          g_clear_pointer (&qr, cairo_surface_destroy);
        else
          qr_scale = QR_SIZE / MAX (cairo_image_surface_get_width (qr), cairo_image_surface_get_height (qr));
      }
    if (qr)
      text_w -= QR_SIZE + 16;

    if ((payment_text && *payment_text) || qr)
      {
        g_autoptr(PangoLayout) label = text_new (&l, _("How to pay"), 8.5, TRUE, 0);
        g_autoptr(PangoLayout) how = text_new (&l, payment_text ? payment_text : "", 9.5, FALSE, text_w);

        ensure_room (&l, MAX (_bb_pdf_text_height (label) + _bb_pdf_text_height (how), qr ? QR_SIZE + 14 : 0) + 10);
        top = l.y;
        draw (&l, label, l.left, top, FALSE, &MUTED);
        draw (&l, how, l.left, top + _bb_pdf_text_height (label) + 3, FALSE, &INK);
        h = _bb_pdf_text_height (label) + 3 + _bb_pdf_text_height (how);

        if (qr)
          {
            g_autoptr(PangoLayout) caption = text_new (&l, _("Scan to pay"), 7.5, FALSE, 0);
            double x = l.right - QR_SIZE;

            cairo_save (l.cr);
            cairo_translate (l.cr, x, top);
            cairo_scale (l.cr, qr_scale, qr_scale);
            cairo_set_source_surface (l.cr, qr, 0, 0);
            cairo_pattern_set_filter (cairo_get_source (l.cr), CAIRO_FILTER_NEAREST);
            cairo_paint (l.cr);
            cairo_restore (l.cr);
            draw (&l, caption, x + (QR_SIZE - _bb_pdf_text_width (caption)) / 2, top + QR_SIZE + 3, FALSE, &MUTED);
            h = MAX (h, QR_SIZE + 3 + _bb_pdf_text_height (caption));
            cairo_surface_destroy (qr);
          }
        l.y = top + h + 18;
      }
  }

  /* Closing */
  ensure_room (&l, 60);
  paragraph (&l, _("If you have any questions about these bills, please contact us."), 10, FALSE, &INK);
  l.y += 14;
  paragraph (&l, _("Yours sincerely,"), 10, FALSE, &INK);
  l.y += 4;
  paragraph (&l, business->name, 10, TRUE, &INK);

  footer (&l);
  cairo_show_page (l.cr);
  cairo_destroy (l.cr);
  g_object_unref (l.context);
  g_object_unref (l.context_cjk);

  return TRUE;
}

/**
 * bb_dunning_pdf_write:
 * @customer_id: whose bills
 * @now: the letter's date; the pay-by date is counted from it
 * @options: (nullable): as bb_dunning_options_from_settings() gives them
 * @path: where to write; an existing file is replaced whole, readable by
 *   its owner only (mode 0600)
 *
 * Writes a dunning letter for every bill of the customer that still owes
 * money. Fails, naming the customer, when nothing is owed.
 */
gboolean
bb_dunning_pdf_write (BbDb                    *db,
                      gint64                   customer_id,
                      GDateTime               *now,
                      const BbDunningOptions  *options,
                      const char              *path,
                      GError                 **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_sized_new (64 * 1024);
  cairo_surface_t *surface = NULL;
  BbDunningOptions defaults;
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      bb_dunning_options_from_settings (db, &defaults);
      options = &defaults;
    }

  ok = render (db, customer_id, now, options, &surface, buffer, error);
  if (surface == NULL)
    return FALSE;

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!ok)
    return FALSE;

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not make the dunning letter: %s"), cairo_status_to_string (status));
      return FALSE;
    }

  return g_file_set_contents_full (path, (const char *) buffer->data, buffer->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* ---- In a thread ----------------------------------------------------- */

typedef struct
{
  char             *db_path;
  char             *path;
  gint64            customer_id;
  GDateTime        *now;
  BbDunningOptions  options;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->db_path);
  g_free (data->path);
  g_date_time_unref (data->now);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  g_autoptr(BbDb) db = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Its own connection: the caller's stays free for the window. */
  db = bb_db_open (data->db_path, &error);
  if (db == NULL || !bb_dunning_pdf_write (db, data->customer_id, data->now, &data->options, data->path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * bb_dunning_pdf_write_async:
 * @file: a local file
 *
 * Runs bb_dunning_pdf_write() in a thread with a connection of its own.
 */
void
bb_dunning_pdf_write_async (BbDb                    *db,
                            gint64                   customer_id,
                            GDateTime               *now,
                            const BbDunningOptions  *options,
                            GFile                   *file,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (now != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_dunning_pdf_write_async);
  g_task_set_name (task, "[billbook] dunning letter");

  data = g_new0 (WriteData, 1);
  data->db_path = g_strdup (bb_db_get_path (db));
  data->path = g_file_get_path (file);
  data->customer_id = customer_id;
  data->now = g_date_time_ref (now);
  if (options)
    data->options = *options;
  else
    bb_dunning_options_from_settings (db, &data->options);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);

  if (data->path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The dunning letter can only be saved to a local file"));
      return;
    }

  g_task_run_in_thread (task, write_thread);
}

gboolean
bb_dunning_pdf_write_finish (BbDb          *db,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_dunning_pdf_write_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
