/* bb-money.c — money, quantities and rates as exact integers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money is a signed count of minor units, quantities are thousandths and
 * rates are basis points; nothing here ever touches a float. Text typed by
 * a user or read from a file is parsed strictly: anything that is not
 * clearly a number in the expected form is an error that names the field.
 */

#define G_LOG_DOMAIN "bb-money"

#include "config.h"

#include <limits.h>
#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "bb-money.h"
#include "bb-text.h"

G_DEFINE_QUARK (bb-money-error-quark, bb_money_error)

/* Amounts beyond 10^13 major units are refused as typing mistakes. */
#define MAX_MAJOR_UNITS G_GUINT64_CONSTANT (10000000000000)
/* Quantities beyond 10^12 pieces are refused likewise. */
#define MAX_QUANTITY (G_GUINT64_CONSTANT (1000000000000) * BB_QUANTITY_ONE)
/* Rates: at most 100 % or, for markups and the like, 10,000 %. */
#define MAX_RATE_100 ((guint64) BB_RATE_ONE_HUNDRED_PERCENT)
#define MAX_RATE ((guint64) 100 * BB_RATE_ONE_HUNDRED_PERCENT)

/* ------------------------------------------------------------------ */
/* Currencies                                                          */

typedef struct
{
  BbCurrency  currency;    /* first member: pointers to it are handed out */
  const char *prefixes[3]; /* accepted before the number, besides symbol and code */
  const char *suffixes[2]; /* accepted after the number, besides symbol and code */
} CurrencyEntry;

/* Fullwidth forms (￥ ＄ ￡ ￦) are folded to these symbols before matching. */
static const CurrencyEntry currencies[] = {
  { { "CNY", "¥", 2 },    { "RMB", NULL },        { "元", NULL } },
  { { "USD", "$", 2 },    { "US$", NULL },        { NULL } },
  { { "EUR", "€", 2 },    { NULL },               { NULL } },
  { { "GBP", "£", 2 },    { NULL },               { NULL } },
  { { "JPY", "¥", 0 },    { "JP¥", NULL },        { "円", NULL } },
  { { "HKD", "HK$", 2 },  { "$", NULL },          { NULL } },
  { { "TWD", "NT$", 2 },  { "$", NULL },          { "元", NULL } },
  { { "SGD", "S$", 2 },   { "$", NULL },          { NULL } },
  { { "MOP", "MOP$", 2 }, { "$", NULL },          { NULL } },
  { { "KRW", "₩", 0 },    { NULL },               { "원", NULL } },
  { { "AUD", "A$", 2 },   { "AU$", "$", NULL },   { NULL } },
  { { "CAD", "CA$", 2 },  { "C$", "$", NULL },    { NULL } },
  { { "CHF", "CHF", 2 },  { NULL },               { NULL } },
};

static const BbCurrency * const currency_list[] = {
  &currencies[0].currency,
  &currencies[1].currency,
  &currencies[2].currency,
  &currencies[3].currency,
  &currencies[4].currency,
  &currencies[5].currency,
  &currencies[6].currency,
  &currencies[7].currency,
  &currencies[8].currency,
  &currencies[9].currency,
  &currencies[10].currency,
  &currencies[11].currency,
  &currencies[12].currency,
  NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (currency_list) == G_N_ELEMENTS (currencies) + 1);

/**
 * bb_currency_lookup:
 * @code: an ISO 4217 code such as "CNY", in any case
 *
 * Returns: (nullable): the currency, or %NULL if Billbook does not know it
 */
const BbCurrency *
bb_currency_lookup (const char *code)
{
  if (code == NULL)
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      if (g_ascii_strcasecmp (currencies[i].currency.code, code) == 0)
        return &currencies[i].currency;
    }

  return NULL;
}

/**
 * bb_currency_get_default:
 *
 * Returns: the currency of a new book, CNY
 */
const BbCurrency *
bb_currency_get_default (void)
{
  return &currencies[0].currency;
}

/**
 * bb_currency_list:
 *
 * Returns: a %NULL-terminated table of every known currency, in the order
 *   a currency chooser shows them
 */
const BbCurrency * const *
bb_currency_list (void)
{
  return currency_list;
}

static const CurrencyEntry *
currency_entry (const BbCurrency *currency)
{
  for (gsize i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      if (&currencies[i].currency == currency)
        return &currencies[i];
    }

  return NULL;
}

/* Fills @prefixes and @suffixes (each with room for 8) with the markers
 * that may stand before or after a number in @currency, NULL-terminated. */
static void
currency_markers (const BbCurrency *currency,
                  const char      **prefixes,
                  const char      **suffixes)
{
  const CurrencyEntry *entry = currency_entry (currency);
  guint n_prefixes = 0;
  guint n_suffixes = 0;

  prefixes[n_prefixes++] = currency->code;
  suffixes[n_suffixes++] = currency->code;
  if (currency->symbol != NULL && currency->symbol[0] != '\0')
    {
      prefixes[n_prefixes++] = currency->symbol;
      suffixes[n_suffixes++] = currency->symbol;
    }

  if (entry != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (entry->prefixes) && entry->prefixes[i]; i++)
        prefixes[n_prefixes++] = entry->prefixes[i];
      for (guint i = 0; i < G_N_ELEMENTS (entry->suffixes) && entry->suffixes[i]; i++)
        suffixes[n_suffixes++] = entry->suffixes[i];
    }

  prefixes[n_prefixes] = NULL;
  suffixes[n_suffixes] = NULL;
}

/* ------------------------------------------------------------------ */
/* Reading text                                                        */

typedef enum
{
  KIND_MONEY,
  KIND_QUANTITY,
  KIND_RATE,
} Kind;

/* Checks that @text is valid UTF-8 without control characters and
 * returns it with what does not change its meaning folded away:
 * fullwidth digits, signs and currency symbols become their ASCII or
 * usual forms, every kind of space becomes ' ', U+2212 MINUS SIGN
 * becomes '-', invisible format characters are dropped and the result
 * is trimmed. Empty text is an error too. */
static char *
normalize_text (const char  *text,
                const char  *field,
                Kind         kind,
                GError     **error)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    text = "";

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                   /* Translators: %s is the name of a field, e.g. “Unit price” */
                   _("%s: the text is not valid UTF-8"), field);
      return NULL;
    }

  out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          g_autofree char *quoted = bb_text_quote (text);

          g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                       /* Translators: the first %s is the name of a field,
                        * the second what the user typed */
                       _("%s: “%s” contains a control character"), field, quoted);
          return NULL;
        }

      if (c >= 0xFF01 && c <= 0xFF5E)           /* fullwidth ASCII */
        c -= 0xFEE0;
      else if (c == 0xFFE1)                     /* ￡ */
        c = 0x00A3;
      else if (c == 0xFFE5)                     /* ￥ */
        c = 0x00A5;
      else if (c == 0xFFE6)                     /* ￦ */
        c = 0x20A9;
      else if (c == 0x2212)                     /* − */
        c = '-';
      else if (g_unichar_isspace (c))
        c = ' ';
      else if (g_unichar_type (c) == G_UNICODE_FORMAT)
        continue;                               /* zero-width space, BOM, marks */

      g_string_append_unichar (out, c);
    }

  g_strstrip (out->str);
  out->len = strlen (out->str);

  if (out->len == 0)
    {
      switch (kind)
        {
        case KIND_MONEY:
          g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                       /* Translators: %s is the name of a field */
                       _("%s: enter an amount"), field);
          break;
        case KIND_QUANTITY:
          g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                       /* Translators: %s is the name of a field */
                       _("%s: enter a quantity"), field);
          break;
        case KIND_RATE:
        default:
          g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                       /* Translators: %s is the name of a field */
                       _("%s: enter a percentage"), field);
          break;
        }
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
skip_spaces (const char *p)
{
  while (*p == ' ')
    p++;
  return p;
}

/* Length of the longest of @markers that @p starts with ("MOP$", not
 * "MOP", in "MOP$12"), or 0. */
static gsize
match_prefix (const char         *p,
              const char * const *markers)
{
  gsize longest = 0;

  if (markers == NULL)
    return 0;

  for (guint i = 0; markers[i] != NULL; i++)
    {
      gsize len = strlen (markers[i]);

      if (len > longest && g_ascii_strncasecmp (p, markers[i], len) == 0)
        longest = len;
    }

  return longest;
}

/* Whether [@p, @end) is exactly one of @markers. */
static gboolean
is_marker (const char         *p,
           const char         *end,
           const char * const *markers)
{
  if (markers == NULL)
    return FALSE;

  for (guint i = 0; markers[i] != NULL; i++)
    {
      gsize len = strlen (markers[i]);

      if (len > 0 && (gsize) (end - p) == len &&
          g_ascii_strncasecmp (p, markers[i], len) == 0)
        return TRUE;
    }

  return FALSE;
}

typedef struct
{
  gboolean    negative;
  const char *number;
  const char *number_end;
} Parts;

/* Splits normalized, trimmed @text into sign, one optional marker (before
 * or after the number) and the number itself. Accepted shapes:
 *   [sign] [prefix] [sign] number [suffix]
 * with spaces allowed between the parts; one sign and one marker at most.
 * Only the characters of the number are checked later by scan_decimal(). */
static gboolean
split_parts (const char         *text,
             const char * const *prefixes,
             const char * const *suffixes,
             Parts              *parts)
{
  const char *p = text;
  const char *end = text + strlen (text);
  gboolean have_sign = FALSE;
  gboolean have_prefix = FALSE;
  gsize len;

  parts->negative = FALSE;

  if (*p == '-' || *p == '+')
    {
      have_sign = TRUE;
      parts->negative = (*p == '-');
      p = skip_spaces (p + 1);
    }

  if ((len = match_prefix (p, prefixes)) > 0)
    {
      have_prefix = TRUE;
      p = skip_spaces (p + len);
    }

  if (!have_sign && (*p == '-' || *p == '+'))
    {
      parts->negative = (*p == '-');
      p = skip_spaces (p + 1);
    }

  parts->number = p;
  while (g_ascii_isdigit (*p) || *p == ',' || *p == '.')
    p++;
  parts->number_end = p;

  if (parts->number_end == parts->number)
    return FALSE;

  p = skip_spaces (p);
  if (p == end)
    return TRUE;

  return !have_prefix && is_marker (p, end, suffixes);
}

typedef enum
{
  SCAN_OK,
  SCAN_INVALID,
  SCAN_BAD_GROUPING,
  SCAN_TOO_MANY_DECIMALS,
  SCAN_OVERFLOW,
} ScanResult;

/* Reads all of [@p, @end) as an unsigned decimal with optional thousands
 * commas (in groups of three) and an optional '.' and fraction, and stores
 * it times 10^@scale in @out. Fraction digits beyond @scale are accepted
 * only when they are zeros ("12.500" is 12.50), since nothing is lost. */
static ScanResult
scan_decimal (const char *p,
              const char *end,
              guint       scale,
              guint64     limit,
              guint64    *out)
{
  guint64 value = 0;
  gboolean overflow = FALSE;
  gboolean bad_grouping = FALSE;
  gboolean too_many_decimals = FALSE;
  gboolean seen_comma = FALSE;
  guint n_digits = 0;
  guint group = 0;
  guint n_fraction = 0;

  for (; p < end && (g_ascii_isdigit (*p) || *p == ','); p++)
    {
      if (*p == ',')
        {
          if (group == 0 || (seen_comma ? group != 3 : group > 3))
            bad_grouping = TRUE;
          seen_comma = TRUE;
          group = 0;
          continue;
        }

      overflow |= __builtin_mul_overflow (value, 10, &value);
      overflow |= __builtin_add_overflow (value, (guint64) (*p - '0'), &value);
      group++;
      n_digits++;
    }

  if (seen_comma && group != 3)
    bad_grouping = TRUE;

  if (p < end && *p == '.')
    {
      for (p++; p < end && g_ascii_isdigit (*p); p++)
        {
          n_fraction++;
          n_digits++;

          if (n_fraction <= scale)
            {
              overflow |= __builtin_mul_overflow (value, 10, &value);
              overflow |= __builtin_add_overflow (value, (guint64) (*p - '0'), &value);
            }
          else if (*p != '0')
            {
              too_many_decimals = TRUE;
            }
        }
    }

  if (p != end || n_digits == 0)
    return SCAN_INVALID;
  if (bad_grouping)
    return SCAN_BAD_GROUPING;

  for (guint i = MIN (n_fraction, scale); i < scale; i++)
    overflow |= __builtin_mul_overflow (value, 10, &value);

  if (overflow || value > limit)
    return SCAN_OVERFLOW;
  if (too_many_decimals)
    return SCAN_TOO_MANY_DECIMALS;

  *out = value;
  return SCAN_OK;
}

static const guint64 powers_of_ten[] = {
  G_GUINT64_CONSTANT (1),
  G_GUINT64_CONSTANT (10),
  G_GUINT64_CONSTANT (100),
  G_GUINT64_CONSTANT (1000),
  G_GUINT64_CONSTANT (10000),
  G_GUINT64_CONSTANT (100000),
  G_GUINT64_CONSTANT (1000000),
  G_GUINT64_CONSTANT (10000000),
  G_GUINT64_CONSTANT (100000000),
  G_GUINT64_CONSTANT (1000000000),
  G_GUINT64_CONSTANT (10000000000),
  G_GUINT64_CONSTANT (100000000000),
  G_GUINT64_CONSTANT (1000000000000),
  G_GUINT64_CONSTANT (10000000000000),
  G_GUINT64_CONSTANT (100000000000000),
  G_GUINT64_CONSTANT (1000000000000000),
  G_GUINT64_CONSTANT (10000000000000000),
  G_GUINT64_CONSTANT (100000000000000000),
  G_GUINT64_CONSTANT (1000000000000000000),
};

/* Minor digits are at most 18 so that 10^digits fits. */
#define MAX_DIGITS (G_N_ELEMENTS (powers_of_ten) - 1)

/* Whether @text, an amount we could not read, is written in a currency
 * other than @currency ("$12" in a book kept in CNY). */
static gboolean
is_other_currency (const char       *text,
                   const BbCurrency *currency)
{
  const char *own_prefixes[8], *own_suffixes[8];
  const char *end = text + strlen (text);
  const char *p = text;

  currency_markers (currency, own_prefixes, own_suffixes);

  if (*p == '-' || *p == '+')
    p = skip_spaces (p + 1);
  if (match_prefix (p, own_prefixes) > 0)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      const char *prefixes[8], *suffixes[8];
      const char *q;

      if (&currencies[i].currency == currency)
        continue;

      currency_markers (&currencies[i].currency, prefixes, suffixes);

      if (match_prefix (p, prefixes) > 0)
        return TRUE;

      for (guint j = 0; suffixes[j] != NULL; j++)
        {
          gsize len = strlen (suffixes[j]);

          if ((gsize) (end - p) < len)
            continue;
          q = end - len;
          if (g_ascii_strncasecmp (q, suffixes[j], len) == 0 &&
              !is_marker (q, end, own_suffixes))
            return TRUE;
        }
    }

  return FALSE;
}

static void
set_invalid_error (GError           **error,
                   Kind               kind,
                   ScanResult         result,
                   const char        *field,
                   const char        *quoted,
                   const char        *normalized,
                   const BbCurrency  *currency)
{
  if (kind == KIND_MONEY && result == SCAN_INVALID && currency != NULL &&
      is_other_currency (normalized, currency))
    {
      g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                   /* Translators: the first %s is the name of a field, the
                    * second what the user typed, the third a currency code */
                   _("%s: “%s” is in another currency; amounts here are in %s"),
                   field, quoted, currency->code);
      return;
    }

  switch (kind)
    {
    case KIND_MONEY:
      if (result == SCAN_BAD_GROUPING)
        g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                     /* Translators: the first %s is the name of a field,
                      * the second what the user typed */
                     _("%s: “%s” is not a valid amount; commas must separate groups of three digits"),
                     field, quoted);
      else
        g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                     /* Translators: the first %s is the name of a field,
                      * the second what the user typed */
                     _("%s: “%s” is not a valid amount"), field, quoted);
      break;

    case KIND_QUANTITY:
      if (result == SCAN_BAD_GROUPING)
        g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                     /* Translators: the first %s is the name of a field,
                      * the second what the user typed */
                     _("%s: “%s” is not a valid quantity; commas must separate groups of three digits"),
                     field, quoted);
      else
        g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                     /* Translators: the first %s is the name of a field,
                      * the second what the user typed */
                     _("%s: “%s” is not a valid quantity"), field, quoted);
      break;

    case KIND_RATE:
    default:
      if (result == SCAN_BAD_GROUPING)
        g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                     /* Translators: the first %s is the name of a field,
                      * the second what the user typed */
                     _("%s: “%s” is not a valid percentage; commas must separate groups of three digits"),
                     field, quoted);
      else
        g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                     /* Translators: the first %s is the name of a field,
                      * the second what the user typed */
                     _("%s: “%s” is not a valid percentage"), field, quoted);
      break;
    }
}

static void
set_negative_error (GError     **error,
                    const char  *field,
                    const char  *quoted)
{
  g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_NEGATIVE,
               /* Translators: the first %s is the name of a field,
                * the second what the user typed */
               _("%s: “%s” is negative; enter zero or more"), field, quoted);
}

static void
set_too_large_error (GError     **error,
                     const char  *field,
                     const char  *quoted)
{
  g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_OVERFLOW,
               /* Translators: the first %s is the name of a field,
                * the second what the user typed */
               _("%s: “%s” is too large"), field, quoted);
}

/* Parses @text as [sign] [marker] number [marker] with @scale decimals.
 * Leaves the errors that differ by kind (too many decimals, too large)
 * to the caller through *@result; sets every other error itself. */
static gboolean
parse_scaled (const char         *text,
              const char         *field,
              Kind                kind,
              const BbCurrency   *currency,
              const char * const *prefixes,
              const char * const *suffixes,
              guint               scale,
              guint64             limit,
              gboolean            allow_negative,
              gint64             *out,
              ScanResult         *result,
              GError            **error)
{
  g_autofree char *normalized = NULL;
  Parts parts;
  guint64 magnitude = 0;

  *result = SCAN_INVALID;

  normalized = normalize_text (text, field, kind, error);
  if (normalized == NULL)
    return FALSE;

  if (split_parts (normalized, prefixes, suffixes, &parts))
    *result = scan_decimal (parts.number, parts.number_end, scale, limit, &magnitude);

  if (*result == SCAN_INVALID || *result == SCAN_BAD_GROUPING)
    {
      g_autofree char *quoted = bb_text_quote (text);

      set_invalid_error (error, kind, *result, field, quoted, normalized, currency);
      return FALSE;
    }

  if (*result != SCAN_OK)
    return FALSE;       /* the caller says why */

  if (parts.negative && magnitude != 0 && !allow_negative)
    {
      g_autofree char *quoted = bb_text_quote (text);

      set_negative_error (error, field, quoted);
      return FALSE;
    }

  g_assert (magnitude <= (guint64) G_MAXINT64);
  *out = parts.negative ? -(gint64) magnitude : (gint64) magnitude;
  return TRUE;
}

/**
 * bb_money_parse:
 * @text: (nullable): what the user typed or a file held
 * @currency: (nullable): the currency of the amount; %NULL for the default
 * @field: the translated name of the field, for error messages
 * @allow_negative: whether a negative amount is acceptable
 * @out: (out) (optional): the amount in minor units
 * @error: return location for an error in the %BB_MONEY_ERROR domain
 *
 * Reads an amount such as "1234.5", "1,234.50", "¥1,234.50", "CNY 12",
 * "12 CNY" or "-5.00". Thousands commas must separate groups of three
 * digits; the decimal separator is always '.'. Fraction digits beyond what
 * the currency has are refused unless they are zeros. Fullwidth digits and
 * symbols typed with a Chinese or Japanese input method are accepted.
 *
 * Returns: %TRUE and sets @out if @text is an amount
 */
gboolean
bb_money_parse (const char        *text,
                const BbCurrency  *currency,
                const char        *field,
                gboolean           allow_negative,
                BbMoney           *out,
                GError           **error)
{
  const char *prefixes[8], *suffixes[8];
  ScanResult result;
  guint64 limit;
  BbMoney value;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (currency == NULL)
    currency = bb_currency_get_default ();
  if (field == NULL)
    field = _("Amount");

  g_return_val_if_fail (currency->code != NULL, FALSE);
  g_return_val_if_fail (currency->digits <= MAX_DIGITS, FALSE);

  if (__builtin_mul_overflow (MAX_MAJOR_UNITS, powers_of_ten[currency->digits], &limit) ||
      limit > (guint64) G_MAXINT64)
    limit = G_MAXINT64;

  currency_markers (currency, prefixes, suffixes);

  if (!parse_scaled (text, field, KIND_MONEY, currency, prefixes, suffixes,
                     currency->digits, limit, allow_negative,
                     &value, &result, error))
    {
      g_autofree char *quoted = NULL;

      if (result == SCAN_TOO_MANY_DECIMALS)
        {
          quoted = bb_text_quote (text);
          g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_TOO_MANY_DECIMALS,
                       /* Translators: the first %s is the name of a field, the
                        * second what the user typed, the third a currency
                        * code such as “CNY”, and %u its number of decimals */
                       _("%s: “%s” has more decimals than %s allows (%u)"),
                       field, quoted, currency->code, currency->digits);
        }
      else if (result == SCAN_OVERFLOW)
        {
          quoted = bb_text_quote (text);
          set_too_large_error (error, field, quoted);
        }
      return FALSE;
    }

  if (out != NULL)
    *out = value;
  return TRUE;
}

/**
 * bb_quantity_parse:
 * @text: (nullable): what the user typed or a file held
 * @field: the translated name of the field, for error messages
 * @allow_negative: whether a negative quantity is acceptable (returns)
 * @out: (out) (optional): the quantity in thousandths
 * @error: return location for an error in the %BB_MONEY_ERROR domain
 *
 * Reads a quantity such as "1", "1.5", "0.125" or "1,000"; at most three
 * decimals.
 *
 * Returns: %TRUE and sets @out if @text is a quantity
 */
gboolean
bb_quantity_parse (const char  *text,
                   const char  *field,
                   gboolean     allow_negative,
                   BbQuantity  *out,
                   GError     **error)
{
  ScanResult result;
  BbQuantity value;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (field == NULL)
    field = _("Quantity");

  if (!parse_scaled (text, field, KIND_QUANTITY, NULL, NULL, NULL,
                     3, MAX_QUANTITY, allow_negative, &value, &result, error))
    {
      g_autofree char *quoted = NULL;

      if (result == SCAN_TOO_MANY_DECIMALS)
        {
          quoted = bb_text_quote (text);
          g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_TOO_MANY_DECIMALS,
                       /* Translators: the first %s is the name of a field,
                        * the second what the user typed */
                       _("%s: “%s” has more than three decimals"), field, quoted);
        }
      else if (result == SCAN_OVERFLOW)
        {
          quoted = bb_text_quote (text);
          set_too_large_error (error, field, quoted);
        }
      return FALSE;
    }

  if (out != NULL)
    *out = value;
  return TRUE;
}

/**
 * bb_rate_parse:
 * @text: (nullable): a percentage such as "13", "12.5" or "13 %"
 * @field: the translated name of the field, for error messages
 * @max_100: whether the rate may not exceed 100 % (else 10,000 %)
 * @out: (out) (optional): the rate in basis points
 * @error: return location for an error in the %BB_MONEY_ERROR domain
 *
 * Reads a tax or discount rate in percent, at most two decimals, never
 * negative.
 *
 * Returns: %TRUE and sets @out if @text is a rate
 */
gboolean
bb_rate_parse (const char  *text,
               const char  *field,
               gboolean     max_100,
               BbRate      *out,
               GError     **error)
{
  static const char * const percent[] = { "%", NULL };
  ScanResult result;
  gint64 value;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (field == NULL)
    field = _("Rate");

  if (!parse_scaled (text, field, KIND_RATE, NULL, NULL, percent,
                     2, max_100 ? MAX_RATE_100 : MAX_RATE, FALSE,
                     &value, &result, error))
    {
      g_autofree char *quoted = NULL;

      if (result == SCAN_TOO_MANY_DECIMALS)
        {
          quoted = bb_text_quote (text);
          g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_TOO_MANY_DECIMALS,
                       /* Translators: the first %s is the name of a field,
                        * the second what the user typed */
                       _("%s: “%s” has more than two decimals"), field, quoted);
        }
      else if (result == SCAN_OVERFLOW && max_100)
        {
          quoted = bb_text_quote (text);
          g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_OVERFLOW,
                       /* Translators: the first %s is the name of a field,
                        * the second what the user typed */
                       _("%s: “%s” is more than 100 %%"), field, quoted);
        }
      else if (result == SCAN_OVERFLOW)
        {
          quoted = bb_text_quote (text);
          set_too_large_error (error, field, quoted);
        }
      return FALSE;
    }

  if (out != NULL)
    *out = (BbRate) value;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Writing text                                                        */

static guint64
magnitude_of (gint64 value)
{
  /* Correct for G_MININT64 too, whose negation does not fit in gint64. */
  return value < 0 ? (guint64) (-(value + 1)) + 1 : (guint64) value;
}

/* @value / 10^@digits with '.' and exactly @digits decimals, or with
 * trailing fraction zeros dropped when @trim. */
static char *
format_scaled (gint64   value,
               guint    digits,
               gboolean trim)
{
  guint64 magnitude = magnitude_of (value);
  guint64 scale = powers_of_ten[digits];
  const char *sign = value < 0 ? "-" : "";
  char fraction[24];
  gsize len;

  if (digits == 0 || (trim && magnitude % scale == 0))
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, sign, magnitude / scale);

  g_snprintf (fraction, sizeof fraction, "%0*" G_GUINT64_FORMAT,
              (int) digits, magnitude % scale);
  if (trim)
    {
      len = strlen (fraction);
      while (len > 0 && fraction[len - 1] == '0')
        fraction[--len] = '\0';
    }

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%s",
                          sign, magnitude / scale, fraction);
}

/* Appends the decimal @digits to @out with @separator between groups
 * sized as POSIX @grouping says (sizes from the right; a final 0 repeats
 * the last size, CHAR_MAX ends grouping). */
static void
append_grouped (GString    *out,
                const char *digits,
                const char *separator,
                const char *grouping)
{
  gboolean separator_before[32] = { FALSE, };
  gsize len = strlen (digits);
  gsize position = 0;
  int size = 3;

  g_return_if_fail (len < G_N_ELEMENTS (separator_before));

  for (const char *g = grouping; ; )
    {
      if (*g != '\0')
        {
          if (*g == CHAR_MAX || *g < 0)
            break;
          size = *g++;
        }
      if (size <= 0)
        break;

      position += size;
      if (position >= len)
        break;
      separator_before[len - position] = TRUE;
    }

  for (gsize i = 0; i < len; i++)
    {
      if (separator_before[i])
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
}

/**
 * bb_money_format:
 * @amount: an amount in minor units
 * @currency: (nullable): its currency; %NULL for the default
 *
 * Formats @amount for display, grouped and with the decimal point of the
 * current locale: "¥1,234.50", "-¥1,234.50", "¥1,235" for JPY. Where the
 * locale has no thousands separator (C, POSIX) it is ',' with '.' for the
 * decimal point. A symbol made of letters ("CHF") is followed by a
 * no-break space.
 *
 * Returns: (transfer full): the text
 */
char *
bb_money_format (BbMoney           amount,
                 const BbCurrency *currency)
{
  const struct lconv *lc;
  g_autofree char *separator = NULL;
  g_autofree char *decimal_point = NULL;
  g_autofree char *grouping = NULL;
  g_autofree char *major = NULL;
  guint64 magnitude = magnitude_of (amount);
  guint64 scale;
  GString *out;

  if (currency == NULL)
    currency = bb_currency_get_default ();

  g_return_val_if_fail (currency->digits <= MAX_DIGITS, NULL);

  /* Copied at once: localeconv() returns storage the next call reuses. */
  lc = localeconv ();
  if (lc->thousands_sep != NULL && lc->thousands_sep[0] != '\0')
    {
      separator = g_strdup (lc->thousands_sep);
      decimal_point = g_strdup (lc->decimal_point != NULL && lc->decimal_point[0] != '\0'
                                ? lc->decimal_point : ".");
      grouping = g_strdup (lc->grouping != NULL && lc->grouping[0] > 0 &&
                           lc->grouping[0] != CHAR_MAX ? lc->grouping : "\3");
    }
  else
    {
      separator = g_strdup (",");
      decimal_point = g_strdup (".");
      grouping = g_strdup ("\3");
    }

  scale = powers_of_ten[currency->digits];
  major = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / scale);

  out = g_string_new (NULL);
  if (amount < 0)
    g_string_append_c (out, '-');

  if (currency->symbol != NULL && currency->symbol[0] != '\0')
    {
      const char *last = g_utf8_prev_char (currency->symbol + strlen (currency->symbol));

      g_string_append (out, currency->symbol);
      if (g_unichar_isalpha (g_utf8_get_char (last)))
        g_string_append (out, "\u00A0");
    }

  append_grouped (out, major, separator, grouping);

  if (currency->digits > 0)
    {
      g_string_append (out, decimal_point);
      g_string_append_printf (out, "%0*" G_GUINT64_FORMAT,
                              (int) currency->digits, magnitude % scale);
    }

  return g_string_free (out, FALSE);
}

/**
 * bb_money_format_plain:
 * @amount: an amount in minor units
 * @currency: (nullable): its currency; %NULL for the default
 *
 * Formats @amount for files: no symbol, no grouping, '.' and exactly the
 * currency's decimals: "1234.50", "-0.05", "1235" for JPY.
 *
 * Returns: (transfer full): the text
 */
char *
bb_money_format_plain (BbMoney           amount,
                       const BbCurrency *currency)
{
  if (currency == NULL)
    currency = bb_currency_get_default ();

  g_return_val_if_fail (currency->digits <= MAX_DIGITS, NULL);

  return format_scaled (amount, currency->digits, FALSE);
}

/**
 * bb_quantity_format:
 * @q: a quantity in thousandths
 *
 * Returns: (transfer full): @q without trailing zeros: "1.5", "2", "0.125"
 */
char *
bb_quantity_format (BbQuantity q)
{
  return format_scaled (q, 3, TRUE);
}

/**
 * bb_rate_format:
 * @r: a rate in basis points
 *
 * Returns: (transfer full): @r in percent without a sign or trailing
 *   zeros: "13", "12.5", "0.25"
 */
char *
bb_rate_format (BbRate r)
{
  return format_scaled (r, 2, TRUE);
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                          */

/**
 * bb_money_add:
 *
 * Returns: %FALSE, leaving @out untouched, if @a + @b overflows
 */
gboolean
bb_money_add (BbMoney  a,
              BbMoney  b,
              BbMoney *out)
{
  BbMoney result;

  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_add_overflow (a, b, &result))
    return FALSE;

  *out = result;
  return TRUE;
}

/**
 * bb_money_sub:
 *
 * Returns: %FALSE, leaving @out untouched, if @a − @b overflows
 */
gboolean
bb_money_sub (BbMoney  a,
              BbMoney  b,
              BbMoney *out)
{
  BbMoney result;

  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_sub_overflow (a, b, &result))
    return FALSE;

  *out = result;
  return TRUE;
}

/**
 * bb_money_multiply:
 *
 * Returns: %FALSE, leaving @out untouched, if @a × @factor overflows
 */
gboolean
bb_money_multiply (BbMoney  a,
                   gint64   factor,
                   BbMoney *out)
{
  BbMoney result;

  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_mul_overflow (a, factor, &result))
    return FALSE;

  *out = result;
  return TRUE;
}

/**
 * bb_div_round_half_away_checked:
 * @num: the dividend
 * @den: the divisor, positive
 * @out: (out): the quotient
 *
 * Divides, rounding half away from zero: 2.5 → 3, −2.5 → −3, 2.4 → 2.
 *
 * Returns: %FALSE, leaving @out untouched, if the quotient does not fit
 *   in 64 bits
 */
gboolean
bb_div_round_half_away_checked (__int128  num,
                                gint64    den,
                                gint64   *out)
{
  __int128 quotient;
  __int128 remainder;

  g_return_val_if_fail (den > 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* C division truncates toward zero; the remainder has the sign of num. */
  quotient = num / den;
  remainder = num % den;
  if (remainder < 0)
    remainder = -remainder;

  /* 2 × remainder ≥ den, written so that it cannot overflow */
  if (remainder != 0 && remainder >= den - remainder)
    quotient += num < 0 ? -1 : 1;

  if (quotient > G_MAXINT64 || quotient < G_MININT64)
    return FALSE;

  *out = (gint64) quotient;
  return TRUE;
}

/**
 * bb_div_round_half_away:
 * @num: the dividend
 * @den: the divisor, positive
 *
 * Like bb_div_round_half_away_checked() for callers that know the quotient
 * fits in 64 bits. If it does not, that is a programming error: a critical
 * is logged and the result saturates at %G_MAXINT64 or %G_MININT64.
 *
 * Returns: @num / @den rounded half away from zero
 */
gint64
bb_div_round_half_away (__int128 num,
                        gint64   den)
{
  gint64 result;

  g_return_val_if_fail (den > 0, 0);

  if (!bb_div_round_half_away_checked (num, den, &result))
    {
      g_critical ("%s: quotient does not fit in 64 bits", G_STRFUNC);
      return num < 0 ? G_MININT64 : G_MAXINT64;
    }

  return result;
}

/**
 * bb_money_line_net:
 * @quantity: in thousandths
 * @unit_price: in minor units
 * @discount: in basis points, 0 to 100 %
 * @out: (out): the net amount of the line
 *
 * net = round (quantity × unit price × (1 − discount)), rounded once, half
 * away from zero, to the minor unit.
 *
 * Returns: %FALSE, leaving @out untouched, on overflow
 */
gboolean
bb_money_line_net (BbQuantity  quantity,
                   BbMoney     unit_price,
                   BbRate      discount,
                   BbMoney    *out)
{
  __int128 num;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (discount >= 0 && discount <= BB_RATE_ONE_HUNDRED_PERCENT, FALSE);

  /* |quantity × unit_price| ≤ 2^126: exact in __int128 */
  num = (__int128) quantity * unit_price;
  if (__builtin_mul_overflow (num, (__int128) (BB_RATE_ONE_HUNDRED_PERCENT - discount), &num))
    return FALSE;

  return bb_div_round_half_away_checked (num,
                                         (gint64) BB_QUANTITY_ONE * BB_RATE_ONE_HUNDRED_PERCENT,
                                         out);
}

/**
 * bb_money_apply_rate:
 * @amount: in minor units
 * @rate: in basis points
 * @out: (out): @amount × @rate, e.g. the tax of a line
 *
 * Rounded once, half away from zero, to the minor unit.
 *
 * Returns: %FALSE, leaving @out untouched, on overflow
 */
gboolean
bb_money_apply_rate (BbMoney  amount,
                     BbRate   rate,
                     BbMoney *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  return bb_div_round_half_away_checked ((__int128) amount * rate,
                                         BB_RATE_ONE_HUNDRED_PERCENT,
                                         out);
}
