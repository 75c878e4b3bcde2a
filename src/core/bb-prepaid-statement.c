/* bb-prepaid-statement.c — a prepaid card's statement for a date range, as PDF
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The business and the statement's title and period at the top, then the
 * customer and the card with a summary of its terms, the opening balance
 * (after the last entry before the period), every entry of the period
 * with the balance after it, and the closing balance, on the book's
 * paper size. Drawn on a cairo PDF surface with Pango; Chinese text goes
 * through _bb_pdf_show_layout() as on bills. It is drawn twice: once to
 * count the pages ("Page 2 of 3"), once for real. The ledger is read in
 * chunks; only the statement's own rows are kept.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "bb-business.h"
#include "bb-customers.h"
#include "bb-invoice-pdf.h"
#include "bb-invoice-pdf-private.h"
#include "bb-prepaid.h"
#include "bb-prepaid-statement.h"
#include "bb-text.h"

#define MM            (72.0 / 25.4)
#define MARGIN        (18.0 * MM)
#define ROW_HEIGHT    17.0
#define FOOTER_SPACE  26.0
/* Ledger entries read at a time */
#define CHUNK         512

typedef struct
{
  double r, g, b;
} Rgb;

static const Rgb INK    = { 0.11, 0.12, 0.14 };
static const Rgb MUTED  = { 0.37, 0.40, 0.44 };
static const Rgb ACCENT = { 0.11, 0.29, 0.46 };
static const Rgb GREEN  = { 0.10, 0.42, 0.22 };
static const Rgb RULE   = { 0.75, 0.78, 0.82 };
static const Rgb FILL   = { 0.89, 0.92, 0.955 };
static const Rgb SHADE  = { 0.963, 0.968, 0.975 };

/**
 * bb_prepaid_describe_terms:
 *
 * Returns: (transfer full): label, value pairs, NULL-terminated
 */
GStrv
bb_prepaid_describe_terms (BbPrepaidAccount *account,
                           const BbCurrency *currency)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *value = NULL;

  g_return_val_if_fail (BB_IS_PREPAID_ACCOUNT (account), NULL);

  g_strv_builder_add (b, _("Valid"));
  switch (account->validity)
    {
    case BB_PREPAID_VALIDITY_FIXED:
      value = g_strdup_printf (_("Until %s"), account->expires_on ? account->expires_on : "—");
      break;
    case BB_PREPAID_VALIDITY_MONTHS:
      value = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%d month from each top-up",
                                            "%d months from each top-up",
                                            account->validity_months),
                               account->validity_months);
      if (account->expires_on)
        {
          g_autofree char *until = g_strdup_printf (_("%s; now until %s"), value, account->expires_on);

          g_free (value);
          value = g_steal_pointer (&until);
        }
      break;
    case BB_PREPAID_VALIDITY_NONE:
    default:
      value = g_strdup (_("No end"));
      break;
    }
  g_strv_builder_add (b, value);
  g_clear_pointer (&value, g_free);

  g_strv_builder_add (b, _("Bonus"));
  if (account->bonus_threshold > 0 && account->bonus_amount > 0)
    {
      g_autofree char *t = bb_money_format (account->bonus_threshold, currency);
      g_autofree char *a = bb_money_format (account->bonus_amount, currency);

      /* Translators: "¥100.00 bonus for each ¥1,000.00 topped up" */
      value = g_strdup_printf (_("%s bonus for each %s topped up"), a, t);
    }
  else
    value = g_strdup (_("None"));
  g_strv_builder_add (b, value);
  g_clear_pointer (&value, g_free);

  g_strv_builder_add (b, _("Refunds"));
  if (account->bonus_refundable)
    g_strv_builder_add (b, _("The whole balance, bonus money included"));
  else
    g_strv_builder_add (b, _("Money paid in; bonus money is not refunded"));

  if (account->refund_policy && *account->refund_policy)
    {
      g_strv_builder_add (b, _("Refund policy"));
      g_strv_builder_add (b, account->refund_policy);
    }

  g_strv_builder_add (b, _("Points"));
  if (account->points_per_unit > 0 && account->points_unit > 0)
    {
      g_autofree char *u = bb_money_format (account->points_unit, currency);

      value = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%lld point for each %s charged",
                                            "%lld points for each %s charged",
                                            account->points_per_unit),
                               (long long) account->points_per_unit, u);
      if (account->redeem_points > 0 && account->redeem_value > 0)
        {
          g_autofree char *v = bb_money_format (account->redeem_value, currency);
          g_autofree char *with = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%s; %lld point redeems %s",
                                                                "%s; %lld points redeem %s",
                                                                account->redeem_points),
                                                   value, (long long) account->redeem_points, v);

          g_free (value);
          value = g_steal_pointer (&with);
        }
    }
  else
    value = g_strdup (_("None"));
  g_strv_builder_add (b, value);
  g_clear_pointer (&value, g_free);

  if (account->low_balance_mark > 0)
    {
      g_strv_builder_add (b, _("Low balance under"));
      value = bb_money_format (account->low_balance_mark, currency);
      g_strv_builder_add (b, value);
    }

  return g_strv_builder_end (b);
}


/* ---- Drawing --------------------------------------------------------- */

typedef struct
{
  PangoContext  *context;
  PangoContext  *context_cjk;
  gboolean       chinese;        /* the reader reads Chinese */
  cairo_t       *cr;
  double         width, height;
  double         left, right, top, bottom;
  double         y;
  guint          page;
  guint          n_pages;        /* 0 while counting */
  char          *footer;
} Sheet;

/* @width > 0: wrapped to it; < 0: one line, ellipsized at −@width */
static PangoLayout *
text_new (Sheet      *s,
          const char *text,
          double      size,
          gboolean    bold,
          double      width)
{
  gboolean cjk = s->chinese || _bb_pdf_text_is_cjk (text);

  return _bb_pdf_layout_new (cjk ? s->context_cjk : s->context, cjk, text, size, bold, width);
}

static void
set_color (cairo_t   *cr,
           const Rgb *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
}

/* Draws @text with its left (or, @align_right, right) edge at @x, its
 * top at @y; returns its height. */
static double
draw_text (Sheet      *s,
           const char *text,
           double      size,
           gboolean    bold,
           double      width,
           double      x,
           double      y,
           gboolean    align_right,
           const Rgb  *color)
{
  g_autoptr(PangoLayout) layout = NULL;

  if (text == NULL || *text == '\0')
    return 0;

  layout = text_new (s, text, size, bold, width);
  set_color (s->cr, color);
  cairo_move_to (s->cr, align_right ? x - _bb_pdf_text_width (layout) : x, y);
  _bb_pdf_show_layout (s->cr, layout);

  return _bb_pdf_text_height (layout);
}

static void
fill_rect (Sheet     *s,
           double     x,
           double     y,
           double     w,
           double     h,
           const Rgb *color)
{
  set_color (s->cr, color);
  cairo_rectangle (s->cr, x, y, w, h);
  cairo_fill (s->cr);
}

static void
rule (Sheet     *s,
      double     y,
      double     line_width,
      const Rgb *color)
{
  set_color (s->cr, color);
  cairo_set_line_width (s->cr, line_width);
  cairo_move_to (s->cr, s->left, y);
  cairo_line_to (s->cr, s->right, y);
  cairo_stroke (s->cr);
}

static void
footer (Sheet *s)
{
  g_autofree char *page = s->n_pages > 0 ? g_strdup_printf (_("Page %u of %u"), s->page + 1, s->n_pages)
                                         : g_strdup_printf (_("Page %u of %u"), s->page + 1, s->page + 1);
  double y = s->height - MARGIN - FOOTER_SPACE + 10;

  rule (s, y, 0.5, &RULE);
  draw_text (s, s->footer, 7.5, FALSE, -(s->right - s->left - 80), s->left, y + 4, FALSE, &MUTED);
  draw_text (s, page, 7.5, FALSE, 0, s->right, y + 4, TRUE, &MUTED);
}

/* The table's columns: x of each left edge, amounts by their right edge. */
typedef struct
{
  double date, entry, note, amount, balance;   /* amount, balance: right edges */
} Columns;

static void
columns_for (Sheet   *s,
             Columns *c)
{
  double w = s->right - s->left;

  c->date = s->left + 4;
  c->entry = s->left + 0.15 * w;
  c->note = s->left + 0.38 * w;
  c->amount = s->left + 0.82 * w;
  c->balance = s->right - 4;
}

static void
table_header (Sheet *s)
{
  Columns c;
  double y = s->y;

  columns_for (s, &c);
  fill_rect (s, s->left, y, s->right - s->left, ROW_HEIGHT + 2, &FILL);
  draw_text (s, _("Date"), 8, TRUE, 0, c.date, y + 4, FALSE, &ACCENT);
  draw_text (s, _("Entry"), 8, TRUE, 0, c.entry, y + 4, FALSE, &ACCENT);
  draw_text (s, _("Note"), 8, TRUE, 0, c.note, y + 4, FALSE, &ACCENT);
  draw_text (s, _("Amount"), 8, TRUE, 0, c.amount, y + 4, TRUE, &ACCENT);
  draw_text (s, _("Balance"), 8, TRUE, 0, c.balance, y + 4, TRUE, &ACCENT);
  s->y += ROW_HEIGHT + 4;
}

static void
new_page (Sheet *s)
{
  footer (s);
  cairo_show_page (s->cr);
  s->page++;
  s->y = s->top;
  table_header (s);
}

/* "−¥30.00" / "+¥1,000.00" */
static char *
signed_money (BbMoney           amount,
              const BbCurrency *currency)
{
  g_autofree char *text = bb_money_format (amount < 0 ? -amount : amount, currency);

  return g_strdup_printf ("%s%s", amount < 0 ? "−" : "+", text);
}

static char *
plain_money (BbMoney           amount,
             const BbCurrency *currency)
{
  g_autofree char *text = bb_money_format (amount, currency);

  if (text[0] == '-')
    return g_strconcat ("−", text + 1, NULL);
  return g_steal_pointer (&text);
}

static char *
entry_title (BbPrepaidEntry *e)
{
  if (e->reverses_id != 0)
    return g_strdup (_("Charge taken back"));
  if (e->has_method)
    return g_strdup_printf ("%s · %s", bb_prepaid_entry_kind_label (e->kind), bb_payment_method_label (e->method));
  return g_strdup (bb_prepaid_entry_kind_label (e->kind));
}

static char *
entry_note (BbPrepaidEntry *e)
{
  GString *note = g_string_new (NULL);

  if (e->invoice_number && *e->invoice_number)
    g_string_append_printf (note, _("Bill %s"), e->invoice_number);
  if (e->note && *e->note && g_strcmp0 (e->note, e->invoice_number) != 0)
    g_string_append_printf (note, "%s%s", note->len ? " · " : "", e->note);
  if (e->points > 0)
    {
      g_string_append (note, note->len ? " · " : "");
      g_string_append_printf (note, g_dngettext (GETTEXT_PACKAGE, "+%lld point", "+%lld points", e->points),
                              (long long) e->points);
    }
  else if (e->points < 0)
    {
      g_string_append (note, note->len ? " · " : "");
      g_string_append_printf (note, g_dngettext (GETTEXT_PACKAGE, "−%lld point", "−%lld points", -e->points),
                              (long long) -e->points);
    }
  if (e->reversed_by_id != 0)
    g_string_append_printf (note, "%s%s", note->len ? " · " : "", _("taken back"));

  return g_string_free (note, FALSE);
}

typedef struct
{
  BbPrepaidAccount *account;
  BbBusiness       *business;
  BbCustomer       *customer;
  const BbCurrency *currency;
  char             *from;       /* NULL: from the first entry */
  char             *to;
  GPtrArray        *entries;    /* BbPrepaidEntry of the period */
  BbMoney           opening;
  BbMoney           closing;
  BbMoney           money_in;
  BbMoney           money_out;
  char             *printed_on;
} Statement;

static void
statement_clear (Statement *st)
{
  g_clear_object (&st->account);
  g_clear_pointer (&st->business, bb_business_free);
  g_clear_object (&st->customer);
  g_clear_pointer (&st->from, g_free);
  g_clear_pointer (&st->to, g_free);
  g_clear_pointer (&st->entries, g_ptr_array_unref);
  g_clear_pointer (&st->printed_on, g_free);
}

/* A block of label–value lines at @x, @width wide; returns its height. */
static double
draw_pairs (Sheet       *s,
            const char  *heading,
            char       **pairs,
            double       x,
            double       y,
            double       width)
{
  double y0 = y;

  y += draw_text (s, heading, 8, TRUE, width, x, y, FALSE, &ACCENT) + 3;
  for (guint i = 0; pairs[i] && pairs[i + 1]; i += 2)
    {
      g_autofree char *line = g_strdup_printf ("%s: %s", pairs[i], pairs[i + 1]);

      y += draw_text (s, line, 8.5, FALSE, width, x, y, FALSE, &INK) + 1.5;
    }

  return y - y0;
}

static void
draw_statement (Sheet     *s,
                Statement *st)
{
  const BbCurrency *currency = st->currency;
  BbBusiness *b = st->business;
  double half = (s->right - s->left) / 2 - 8;
  double y, y_right;
  Columns c;

  s->page = 0;
  s->y = s->top;

  /* The business at the left, the title and period at the right. */
  y = s->y;
  y += draw_text (s, b->name && *b->name ? b->name : "", 14, TRUE, half, s->left, y, FALSE, &INK) + 2;
  y += draw_text (s, b->address, 8.5, FALSE, half, s->left, y, FALSE, &MUTED);
  if (b->phone && *b->phone)
    {
      g_autofree char *phone = g_strdup_printf (_("Phone %s"), b->phone);

      y += draw_text (s, phone, 8.5, FALSE, half, s->left, y, FALSE, &MUTED);
    }
  if (b->tax_id && *b->tax_id)
    {
      g_autofree char *tax = g_strdup_printf (_("Tax ID %s"), b->tax_id);

      y += draw_text (s, tax, 8.5, FALSE, half, s->left, y, FALSE, &MUTED);
    }

  y_right = s->y;
  y_right += draw_text (s, _("Prepaid Card Statement"), 16, TRUE, 0, s->right, y_right, TRUE, &ACCENT) + 4;
  {
    g_autofree char *period = g_strdup_printf (_("Period: %s to %s"), st->from ? st->from : _("first entry"), st->to);
    g_autofree char *printed = g_strdup_printf (_("Printed on %s"), st->printed_on);

    y_right += draw_text (s, period, 9, FALSE, 0, s->right, y_right, TRUE, &INK) + 1;
    y_right += draw_text (s, printed, 8.5, FALSE, 0, s->right, y_right, TRUE, &MUTED);
  }
  s->y = MAX (y, y_right) + 14;
  rule (s, s->y, 0.8, &ACCENT);
  s->y += 10;

  /* The customer and the card at the left, the terms at the right. */
  {
    g_auto(GStrv) terms = bb_prepaid_describe_terms (st->account, currency);
    g_autoptr(GStrvBuilder) who = g_strv_builder_new ();
    g_auto(GStrv) who_pairs = NULL;
    double h_left, h_right;

    g_strv_builder_add_many (who, _("Name"), st->account->customer_name ? st->account->customer_name : "",
                             _("Code"), st->account->customer_code ? st->account->customer_code : "", NULL);
    if (st->customer && st->customer->phone && *st->customer->phone)
      g_strv_builder_add_many (who, _("Phone"), st->customer->phone, NULL);
    g_strv_builder_add_many (who, _("Prepaid card"), st->account->name, NULL);
    if (st->account->closed)
      g_strv_builder_add_many (who, _("State"), _("Closed"), NULL);
    who_pairs = g_strv_builder_end (who);

    h_left = draw_pairs (s, _("Customer and Card"), who_pairs, s->left, s->y, half);
    h_right = draw_pairs (s, _("Card Terms"), terms, s->left + half + 16, s->y, half);
    s->y += MAX (h_left, h_right) + 14;
  }

  /* The figures of the period. */
  {
    const char *labels[] = { _("Opening balance"), _("Money in"), _("Money out"), _("Closing balance") };
    BbMoney values[] = { st->opening, st->money_in, -st->money_out, st->closing };
    double box = (s->right - s->left) / 4;

    fill_rect (s, s->left, s->y, s->right - s->left, 38, &SHADE);
    for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
      {
        g_autofree char *value = plain_money (values[i], currency);
        double x = s->left + i * box + 8;

        draw_text (s, labels[i], 8, FALSE, box - 12, x, s->y + 5, FALSE, &MUTED);
        draw_text (s, value, 12, TRUE, box - 12, x, s->y + 17, FALSE, i == 3 ? &ACCENT : &INK);
      }
    s->y += 38 + 14;
  }

  /* The ledger of the period. */
  table_header (s);
  columns_for (s, &c);
  {
    g_autofree char *opening = plain_money (st->opening, currency);
    g_autofree char *day = st->from ? g_strdup (st->from) : g_strdup ("");

    draw_text (s, day, 8.5, FALSE, 0, c.date, s->y + 3, FALSE, &MUTED);
    draw_text (s, _("Opening balance"), 8.5, FALSE, c.amount - c.entry - 70, c.entry, s->y + 3, FALSE, &MUTED);
    draw_text (s, opening, 8.5, FALSE, 0, c.balance, s->y + 3, TRUE, &MUTED);
    s->y += ROW_HEIGHT;
  }

  for (guint i = 0; i < st->entries->len; i++)
    {
      BbPrepaidEntry *e = g_ptr_array_index (st->entries, i);
      g_autofree char *title = entry_title (e);
      g_autofree char *note = entry_note (e);
      g_autofree char *amount = signed_money (e->amount, currency);
      g_autofree char *after = plain_money (e->balance_after, currency);

      if (s->y + ROW_HEIGHT > s->bottom)
        new_page (s);
      if (i % 2 == 1)
        fill_rect (s, s->left, s->y, s->right - s->left, ROW_HEIGHT, &SHADE);
      draw_text (s, e->occurred_on, 8.5, FALSE, 0, c.date, s->y + 3, FALSE, &INK);
      draw_text (s, title, 8.5, FALSE, -(c.note - c.entry - 6), c.entry, s->y + 3, FALSE, &INK);
      draw_text (s, note, 8.5, FALSE, -(c.amount - c.note - 70), c.note, s->y + 3, FALSE, &MUTED);
      draw_text (s, amount, 8.5, FALSE, 0, c.amount, s->y + 3, TRUE, e->amount > 0 ? &GREEN : &INK);
      draw_text (s, after, 8.5, FALSE, 0, c.balance, s->y + 3, TRUE, &INK);
      s->y += ROW_HEIGHT;
    }

  if (st->entries->len == 0)
    {
      if (s->y + ROW_HEIGHT > s->bottom)
        new_page (s);
      draw_text (s, _("No entries in this period."), 8.5, FALSE, 0, c.entry, s->y + 3, FALSE, &MUTED);
      s->y += ROW_HEIGHT;
    }

  if (s->y + ROW_HEIGHT + 6 > s->bottom)
    new_page (s);
  rule (s, s->y + 1, 0.8, &INK);
  s->y += 5;
  {
    g_autofree char *closing = plain_money (st->closing, currency);

    draw_text (s, st->to, 9, TRUE, 0, c.date, s->y + 3, FALSE, &INK);
    draw_text (s, _("Closing balance"), 9, TRUE, 0, c.entry, s->y + 3, FALSE, &INK);
    draw_text (s, closing, 9, TRUE, 0, c.balance, s->y + 3, TRUE, &ACCENT);
    s->y += ROW_HEIGHT + 10;
  }

  footer (s);
  cairo_show_page (s->cr);
}

/* ---- Reading the card ------------------------------------------------ */

static gboolean
statement_load (BbDb        *db,
                gint64       account_id,
                const char  *from,
                const char  *to,
                Statement   *st,
                GError     **error)
{
  GDate d;
  gint64 n;

  if (from && *from && !bb_date_parse (from, _("From"), &d, error))
    return FALSE;
  if (to && *to && !bb_date_parse (to, _("To"), &d, error))
    return FALSE;

  st->account = bb_prepaid_get_account (db, account_id, error);
  if (st->account == NULL)
    return FALSE;

  bb_date_set_today (&d);
  st->printed_on = bb_date_to_iso (&d);
  st->from = from && *from ? g_strdup (from) : NULL;
  st->to = to && *to ? g_strdup (to) : g_strdup (st->printed_on);
  if (st->from && strcmp (st->from, st->to) > 0)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("From: %s is after the last day, %s"), st->from, st->to);
      return FALSE;
    }

  st->business = bb_business_load (db);
  st->customer = bb_customers_get (db, st->account->customer_id, NULL);
  st->currency = bb_business_get_currency (db);
  st->entries = g_ptr_array_new_with_free_func (g_object_unref);

  n = bb_prepaid_count_entries (db, account_id, error);
  if (n < 0)
    return FALSE;

  /* Entries are in the order written, which is the order of their days
   * (core dates nothing before a card's latest expiry; a back-dated
   * entry among them keeps its place, as in the card's own ledger). */
  for (gint64 offset = 0; offset < n; offset += CHUNK)
    {
      g_autoptr(GPtrArray) chunk = bb_prepaid_list_entries (db, account_id, (guint) offset, CHUNK, error);

      if (chunk == NULL)
        return FALSE;

      for (guint i = 0; i < chunk->len; i++)
        {
          BbPrepaidEntry *e = g_ptr_array_index (chunk, i);

          if (st->from && strcmp (e->occurred_on, st->from) < 0)
            st->opening = e->balance_after;
          else if (strcmp (e->occurred_on, st->to) <= 0)
            {
              if (e->amount > 0)
                st->money_in += e->amount;
              else
                st->money_out -= e->amount;
              g_ptr_array_add (st->entries, g_object_ref (e));
            }
        }
    }
  st->closing = st->opening + st->money_in - st->money_out;

  return TRUE;
}

static cairo_status_t
append_to_buffer (void                *closure,
                  const unsigned char *data,
                  unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
discard (void                *closure,
         const unsigned char *data,
         unsigned int         length)
{
  return CAIRO_STATUS_SUCCESS;
}

/* Renders the statement into @buffer. */
static gboolean
render (BbDb          *db,
        gint64         account_id,
        const char    *from,
        const char    *to,
        GByteArray    *buffer,
        GCancellable  *cancellable,
        GError       **error)
{
  Statement st = { 0 };
  Sheet s = { 0 };
  BbInvoicePdfOptions options;
  const char *chinese;
  g_autofree char *title = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  gboolean ok = FALSE;

  if (!statement_load (db, account_id, from, to, &st, error))
    goto out;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  bb_invoice_pdf_options_from_settings (db, &options);
  bb_paper_size_get_size (options.paper, &s.width, &s.height);
  s.left = MARGIN;
  s.right = s.width - MARGIN;
  s.top = MARGIN;
  s.bottom = s.height - MARGIN - FOOTER_SPACE;
  chinese = _bb_pdf_chinese_of_locale ();
  s.chinese = chinese != NULL;
  s.context = _bb_pdf_context_new (NULL, chinese ? pango_language_from_string (chinese)
                                                 : pango_language_get_default (), 72.0);
  s.context_cjk = _bb_pdf_context_new (NULL, pango_language_from_string (chinese ? chinese : "zh-cn"), 72.0);
  /* Translators: the footer of a statement: "Membership card · Wang Fang (C000123)" */
  s.footer = g_strdup_printf (_("%s · %s (%s)"), st.account->name,
                              st.account->customer_name ? st.account->customer_name : "",
                              st.account->customer_code ? st.account->customer_code : "");
  /* Translators: the PDF's title: "Statement of Membership card, 2026-01-01 to 2026-03-31" */
  title = g_strdup_printf (_("Statement of %s, %s to %s"), st.account->name,
                           st.from ? st.from : _("first entry"), st.to);

  /* Once to count the pages… */
  surface = cairo_pdf_surface_create_for_stream (discard, NULL, s.width, s.height);
  s.cr = cairo_create (surface);
  draw_statement (&s, &st);
  s.n_pages = s.page + 1;
  cairo_destroy (s.cr);
  cairo_surface_destroy (surface);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  /* …and once for real. */
  surface = cairo_pdf_surface_create_for_stream (append_to_buffer, buffer, s.width, s.height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  if (st.business->name && *st.business->name)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, st.business->name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Billbook " PACKAGE_VERSION);
  s.cr = cairo_create (surface);
  draw_statement (&s, &st);
  cairo_destroy (s.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not make the PDF of %s: %s"), title, cairo_status_to_string (status));
      goto out;
    }
  ok = TRUE;

out:
  g_clear_object (&s.context);
  g_clear_object (&s.context_cjk);
  g_free (s.footer);
  statement_clear (&st);
  return ok;
}

/**
 * bb_prepaid_statement_write:
 * @file: where to write; an existing file is replaced whole, only once
 *   the new one is complete
 *
 * Writes the statement of a card for a period as a PDF, readable by its
 * owner only.
 *
 * Returns: %TRUE when written; else @error says why ("From: …")
 */
gboolean
bb_prepaid_statement_write (BbDb          *db,
                            gint64         account_id,
                            const char    *from,
                            const char    *to,
                            GFile         *file,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_sized_new (32 * 1024);

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!render (db, account_id, from, to, buffer, cancellable, error))
    return FALSE;

  return g_file_replace_contents (file, (const char *) buffer->data, buffer->len, NULL, FALSE,
                                  G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, cancellable, error);
}

typedef struct
{
  char   *path;
  gint64  account_id;
  char   *from;
  char   *to;
  GFile  *file;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->path);
  g_free (data->from);
  g_free (data->to);
  g_object_unref (data->file);
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

  /* Its own connection: the window's stays free. */
  db = bb_db_open (data->path, &error);
  if (db == NULL ||
      !bb_prepaid_statement_write (db, data->account_id, data->from, data->to, data->file, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
bb_prepaid_statement_write_async (BbDb                *db,
                                  gint64               account_id,
                                  const char          *from,
                                  const char          *to,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_prepaid_statement_write_async);
  g_task_set_name (task, "prepaid statement");
  data = g_new0 (WriteData, 1);
  data->path = g_strdup (bb_db_get_path (db));
  data->account_id = account_id;
  data->from = g_strdup (from);
  data->to = g_strdup (to);
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
bb_prepaid_statement_write_finish (BbDb          *db,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_prepaid_statement_write_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
