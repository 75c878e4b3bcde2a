/* bb-money.h — money, quantities and rates as exact integers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#ifndef __SIZEOF_INT128__
# error "Billbook needs a compiler with __int128 (GCC or Clang on a 64-bit target)"
#endif

G_BEGIN_DECLS

#define BB_MONEY_ERROR (bb_money_error_quark ())

typedef enum
{
  BB_MONEY_ERROR_INVALID,
  BB_MONEY_ERROR_TOO_MANY_DECIMALS,
  BB_MONEY_ERROR_OVERFLOW,
  BB_MONEY_ERROR_NEGATIVE,
} BbMoneyError;

/* A signed count of minor units (fen, cents) of the business currency. */
typedef gint64 BbMoney;
/* Thousandths: 1.5 pieces = 1500. */
typedef gint64 BbQuantity;
/* Basis points: 13 % = 1300. */
typedef gint32 BbRate;

/* One whole piece, in BbQuantity units. */
#define BB_QUANTITY_ONE 1000
/* 100 %, in BbRate units. */
#define BB_RATE_ONE_HUNDRED_PERCENT 10000

typedef struct
{
  const char *code;    /* ISO 4217: "CNY" */
  const char *symbol;  /* "¥" */
  guint       digits;  /* minor digits: 2 for CNY, 0 for JPY */
} BbCurrency;

GQuark             bb_money_error_quark        (void);

const BbCurrency  *bb_currency_lookup          (const char        *code);
const BbCurrency  *bb_currency_get_default     (void);
const BbCurrency * const *bb_currency_list     (void);

gboolean           bb_money_parse              (const char        *text,
                                                const BbCurrency  *currency,
                                                const char        *field,
                                                gboolean           allow_negative,
                                                BbMoney           *out,
                                                GError           **error);
char              *bb_money_format             (BbMoney            amount,
                                                const BbCurrency  *currency);
char              *bb_money_format_plain       (BbMoney            amount,
                                                const BbCurrency  *currency);

gboolean           bb_money_add                (BbMoney            a,
                                                BbMoney            b,
                                                BbMoney           *out);
gboolean           bb_money_sub                (BbMoney            a,
                                                BbMoney            b,
                                                BbMoney           *out);
gboolean           bb_money_multiply           (BbMoney            a,
                                                gint64             factor,
                                                BbMoney           *out);

gboolean           bb_div_round_half_away_checked (__int128        num,
                                                   gint64          den,
                                                   gint64         *out);
gint64             bb_div_round_half_away      (__int128           num,
                                                gint64             den);

gboolean           bb_money_line_net           (BbQuantity         quantity,
                                                BbMoney            unit_price,
                                                BbRate             discount,
                                                BbMoney           *out);
gboolean           bb_money_apply_rate         (BbMoney            amount,
                                                BbRate             rate,
                                                BbMoney           *out);

gboolean           bb_quantity_parse           (const char        *text,
                                                const char        *field,
                                                gboolean           allow_negative,
                                                BbQuantity        *out,
                                                GError           **error);
char              *bb_quantity_format          (BbQuantity         q);

gboolean           bb_rate_parse               (const char        *text,
                                                const char        *field,
                                                gboolean           max_100,
                                                BbRate            *out,
                                                GError           **error);
char              *bb_rate_format              (BbRate             r);

G_END_DECLS
