/* fuzz-money.c — libFuzzer target for the money, quantity and rate parsers
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is one piece of text, as a user types it or a file cell holds
 * it. It is parsed as an amount in every currency (CNY and JPY first:
 * two decimals and none), negative amounts allowed and not, as a
 * quantity and as a rate. Whatever parses must format and parse back to
 * the same value, both in the plain form files use and in the display
 * form; the answers with and without allow_negative must agree.
 */

#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bb-money.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define fuzz_check(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

/* A warning or a g_return_if_fail() reached from hostile input is a bug
 * too. abort() rather than GLib's fatal-criticals, whose breakpoint trap
 * libFuzzer would not catch: it saves the input on SIGABRT. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return result;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  return 0;
}

static void
check_error (const GError *error)
{
  fuzz_check (error != NULL);
  fuzz_check (error->domain == BB_MONEY_ERROR);
  fuzz_check (error->code == BB_MONEY_ERROR_INVALID ||
              error->code == BB_MONEY_ERROR_TOO_MANY_DECIMALS ||
              error->code == BB_MONEY_ERROR_OVERFLOW ||
              error->code == BB_MONEY_ERROR_NEGATIVE);
  fuzz_check (error->message != NULL && *error->message != '\0');
  /* It ends up in a dialog: it must be UTF-8. */
  fuzz_check (g_utf8_validate (error->message, -1, NULL));
}

/* Parses @text; on failure checks the error and returns FALSE. */
static gboolean
money_parse (const char       *text,
             const BbCurrency *currency,
             gboolean          allow_negative,
             BbMoney          *out,
             GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  BbMoney value = G_MININT64;

  if (!bb_money_parse (text, currency, "Amount", allow_negative, &value, &local_error))
    {
      check_error (local_error);
      fuzz_check (value == G_MININT64);   /* untouched */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  fuzz_check (local_error == NULL);
  if (!allow_negative)
    fuzz_check (value >= 0);
  *out = value;
  return TRUE;
}

static void
check_money_reparse (const char       *text,
                     const BbCurrency *currency,
                     gboolean          allow_negative,
                     BbMoney           value,
                     const char       *what)
{
  g_autoptr(GError) error = NULL;
  BbMoney back = 0;

  if (!money_parse (text, currency, allow_negative, &back, &error))
    {
      g_printerr ("%s %s “%s” does not parse: %s\n",
                  currency->code, what, text, error->message);
      abort ();
    }
  if (back != value)
    {
      g_printerr ("%s %s “%s” of %" G_GINT64_FORMAT " parses as %" G_GINT64_FORMAT "\n",
                  currency->code, what, text, value, back);
      abort ();
    }
}

static void
fuzz_money (const char       *text,
            const BbCurrency *currency)
{
  g_autoptr(GError) error_positive = NULL;
  g_autoptr(GError) error_any = NULL;
  BbMoney positive = 0, any = 0;
  gboolean ok_positive, ok_any;

  ok_positive = money_parse (text, currency, FALSE, &positive, &error_positive);
  ok_any = money_parse (text, currency, TRUE, &any, &error_any);

  /* Allowing negative amounts only ever lets more through. */
  if (ok_positive)
    fuzz_check (ok_any && any == positive);
  else if (g_error_matches (error_positive, BB_MONEY_ERROR, BB_MONEY_ERROR_NEGATIVE))
    fuzz_check (ok_any && any < 0);
  else
    fuzz_check (!ok_any && error_any->code == error_positive->code);

  if (!ok_any)
    return;

  {
    g_autofree char *plain = bb_money_format_plain (any, currency);
    g_autofree char *display = bb_money_format (any, currency);

    fuzz_check (plain != NULL && display != NULL);
    fuzz_check (g_utf8_validate (display, -1, NULL));

    check_money_reparse (plain, currency, TRUE, any, "plain");
    check_money_reparse (display, currency, TRUE, any, "display");
    if (any >= 0)
      {
        check_money_reparse (plain, currency, FALSE, any, "plain");
        check_money_reparse (display, currency, FALSE, any, "display");
      }
  }
}

static void
fuzz_quantity (const char  *text,
               BbQuantity  *out)
{
  for (int allow_negative = 0; allow_negative <= 1; allow_negative++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error_back = NULL;
      g_autofree char *formatted = NULL;
      BbQuantity q = G_MININT64, back = 0;

      if (!bb_quantity_parse (text, "Quantity", allow_negative, &q, &error))
        {
          check_error (error);
          fuzz_check (q == G_MININT64);
          continue;
        }

      fuzz_check (allow_negative || q >= 0);
      *out = q;

      formatted = bb_quantity_format (q);
      if (!bb_quantity_parse (formatted, "Quantity", allow_negative, &back, &error_back))
        {
          g_printerr ("quantity “%s” does not parse: %s\n", formatted, error_back->message);
          abort ();
        }
      if (back != q)
        {
          g_printerr ("quantity “%s” of %" G_GINT64_FORMAT " parses as %" G_GINT64_FORMAT "\n",
                      formatted, q, back);
          abort ();
        }
    }
}

static void
fuzz_rate (const char *text,
           BbRate     *out)
{
  for (int max_100 = 0; max_100 <= 1; max_100++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error_back = NULL;
      g_autofree char *formatted = NULL;
      BbRate r = G_MININT32, back = 0;

      if (!bb_rate_parse (text, "Rate", max_100, &r, &error))
        {
          check_error (error);
          fuzz_check (r == G_MININT32);
          continue;
        }

      fuzz_check (r >= 0);
      fuzz_check (r <= (max_100 ? BB_RATE_ONE_HUNDRED_PERCENT : 100 * BB_RATE_ONE_HUNDRED_PERCENT));
      if (max_100)
        *out = r;

      formatted = bb_rate_format (r);
      if (!bb_rate_parse (formatted, "Rate", max_100, &back, &error_back))
        {
          g_printerr ("rate “%s” does not parse: %s\n", formatted, error_back->message);
          abort ();
        }
      if (back != r)
        {
          g_printerr ("rate “%s” of %d parses as %d\n", formatted, r, back);
          abort ();
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  const BbCurrency * const *list = bb_currency_list ();
  const BbCurrency *cny = bb_currency_lookup ("CNY");
  const BbCurrency *jpy = bb_currency_lookup ("JPY");
  BbQuantity quantity = 0;
  BbMoney price = 0;
  BbRate rate = -1;

  /* The parsers take C strings; a NUL would only cut the text short. */
  if (memchr (data, '\0', size) != NULL)
    return 0;
  text = g_strndup ((const char *) data, size);

  fuzz_check (cny != NULL && jpy != NULL);

  fuzz_money (text, cny);
  fuzz_money (text, jpy);
  for (guint i = 0; list[i] != NULL; i++)
    {
      if (list[i] != cny && list[i] != jpy)
        fuzz_money (text, list[i]);
    }

  /* NULL currency means the default, CNY. */
  {
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    BbMoney a = 0, b = 0;
    gboolean ok1 = bb_money_parse (text, NULL, NULL, TRUE, &a, &e1);
    gboolean ok2 = bb_money_parse (text, cny, NULL, TRUE, &b, &e2);

    fuzz_check (ok1 == ok2);
    if (ok1)
      {
        fuzz_check (a == b);
        price = a;
      }
    else
      {
        check_error (e1);
        fuzz_check (g_str_equal (e1->message, e2->message));
      }

    /* out is optional. */
    fuzz_check (bb_money_parse (text, cny, NULL, TRUE, NULL, NULL) == ok1);
  }

  fuzz_quantity (text, &quantity);
  fuzz_rate (text, &rate);

  /* The arithmetic on whatever came out: overflow is reported, never UB. */
  if (rate >= 0)
    {
      BbMoney net = 0, tax = 0, sum = 0;

      if (bb_money_line_net (quantity, price, rate, &net))
        {
          (void) bb_money_apply_rate (net, rate, &tax);
          (void) bb_money_add (net, tax, &sum);
        }
      (void) bb_money_apply_rate (price, rate, &tax);
    }
  {
    BbMoney out = 0;

    (void) bb_money_multiply (price, quantity, &out);
    (void) bb_money_sub (price, quantity, &out);
  }

  return 0;
}
