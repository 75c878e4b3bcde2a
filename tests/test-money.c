/* test-money.c — money, quantities and rates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-money"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib.h>

#include "bb-money.h"

#define FIELD "Unit price"
#define NO_ERROR (-1)

static void
assert_error_names_field (const GError *error,
                          int           code,
                          const char   *field)
{
  g_assert_nonnull (error);
  g_assert_cmpint (error->domain, ==, BB_MONEY_ERROR);
  g_assert_cmpint (error->code, ==, code);
  /* Every message starts with the field: "Unit price: …" */
  g_assert_true (g_str_has_prefix (error->message, field));
  g_assert_cmpint (error->message[strlen (field)], ==, ':');
}

/* @text made safe for the TAP log: valid UTF-8, control characters escaped. */
static char *
printable (const char *text)
{
  static char high_bytes[129];
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  if (high_bytes[0] == '\0')
    {
      for (int i = 0; i < 128; i++)
        high_bytes[i] = (char) (0x80 + i);
    }

  return g_strescape (valid, high_bytes);
}

/* ------------------------------------------------------------------ */
/* Currencies                                                          */

static void
test_currency_lookup (void)
{
  static const struct {
    const char *code;
    const char *symbol;
    guint digits;
  } expected[] = {
    { "CNY", "¥", 2 },
    { "USD", "$", 2 },
    { "EUR", "€", 2 },
    { "GBP", "£", 2 },
    { "JPY", "¥", 0 },
    { "HKD", "HK$", 2 },
    { "TWD", "NT$", 2 },
    { "SGD", "S$", 2 },
    { "MOP", "MOP$", 2 },
    { "KRW", "₩", 0 },
    { "AUD", "A$", 2 },
    { "CAD", "CA$", 2 },
    { "CHF", "CHF", 2 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const BbCurrency *c = bb_currency_lookup (expected[i].code);
      g_autofree char *lower = g_ascii_strdown (expected[i].code, -1);

      g_assert_nonnull (c);
      g_assert_cmpstr (c->code, ==, expected[i].code);
      g_assert_cmpstr (c->symbol, ==, expected[i].symbol);
      g_assert_cmpuint (c->digits, ==, expected[i].digits);
      g_assert_true (bb_currency_lookup (lower) == c);
    }

  g_assert_null (bb_currency_lookup ("XXX"));
  g_assert_null (bb_currency_lookup (""));
  g_assert_null (bb_currency_lookup ("CN"));
  g_assert_null (bb_currency_lookup (NULL));
}

static void
test_currency_default (void)
{
  const BbCurrency *c = bb_currency_get_default ();

  g_assert_nonnull (c);
  g_assert_cmpstr (c->code, ==, "CNY");
  g_assert_cmpstr (c->symbol, ==, "¥");
  g_assert_cmpuint (c->digits, ==, 2);
  g_assert_true (c == bb_currency_lookup ("CNY"));
}

static void
test_currency_list (void)
{
  const BbCurrency * const *list = bb_currency_list ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gsize n = 0;

  g_assert_nonnull (list);
  g_assert_true (list[0] == bb_currency_get_default ());

  for (; list[n] != NULL; n++)
    {
      /* every entry is found again by its code, and codes are unique */
      g_assert_true (bb_currency_lookup (list[n]->code) == list[n]);
      g_assert_true (g_hash_table_add (seen, (gpointer) list[n]->code));
    }

  g_assert_cmpuint (n, ==, 13);
}

/* ------------------------------------------------------------------ */
/* Parsing money                                                       */

typedef struct
{
  const char *text;
  const char *currency;
  gboolean    allow_negative;
  gint64      expected;        /* minor units, when code is NO_ERROR */
  int         code;            /* a BbMoneyError, or NO_ERROR */
} ParseCase;

static const ParseCase parse_cases[] = {
  /* plain and grouped */
  { "1234.5",              "CNY", FALSE, 123450, NO_ERROR },
  { "1,234.50",            "CNY", FALSE, 123450, NO_ERROR },
  { "1,234,567.89",        "CNY", FALSE, 123456789, NO_ERROR },
  { "123,456",             "CNY", FALSE, 12345600, NO_ERROR },
  { "0",                   "CNY", FALSE, 0, NO_ERROR },
  { "0.01",                "CNY", FALSE, 1, NO_ERROR },
  { ".5",                  "CNY", FALSE, 50, NO_ERROR },
  { "5.",                  "CNY", FALSE, 500, NO_ERROR },
  { "007",                 "CNY", FALSE, 700, NO_ERROR },
  { "12.500",              "CNY", FALSE, 1250, NO_ERROR },   /* only zeros beyond 2 */
  { "  12 ",               "CNY", FALSE, 1200, NO_ERROR },
  { "\u3000" "12\u00A0",   "CNY", FALSE, 1200, NO_ERROR },   /* ideographic and no-break spaces */
  { "1\u200B" "2",         "CNY", FALSE, 1200, NO_ERROR },   /* zero-width space dropped */
  /* symbols and codes */
  { "¥1234.50",            "CNY", FALSE, 123450, NO_ERROR },
  { "￥1234.50",           "CNY", FALSE, 123450, NO_ERROR },
  { "¥ 1,000",             "CNY", FALSE, 100000, NO_ERROR },
  { "CNY 12",              "CNY", FALSE, 1200, NO_ERROR },
  { "cny12",               "CNY", FALSE, 1200, NO_ERROR },
  { "12 CNY",              "CNY", FALSE, 1200, NO_ERROR },
  { "RMB 5",               "CNY", FALSE, 500, NO_ERROR },
  { "12元",                "CNY", FALSE, 1200, NO_ERROR },
  { "１２３．４５",        "CNY", FALSE, 12345, NO_ERROR },  /* fullwidth input method */
  { "￥１，２３４",        "CNY", FALSE, 123400, NO_ERROR },
  /* signs */
  { "-5.00",               "CNY", TRUE,  -500, NO_ERROR },
  { "-¥5",                 "CNY", TRUE,  -500, NO_ERROR },
  { "¥-5",                 "CNY", TRUE,  -500, NO_ERROR },
  { "- ¥ 5",               "CNY", TRUE,  -500, NO_ERROR },
  { "\u2212" "5",          "CNY", TRUE,  -500, NO_ERROR },   /* U+2212 MINUS SIGN */
  { "－5",                 "CNY", TRUE,  -500, NO_ERROR },   /* fullwidth hyphen-minus */
  { "+5",                  "CNY", FALSE, 500, NO_ERROR },
  { "-0.00",               "CNY", FALSE, 0, NO_ERROR },      /* zero is not negative */
  { "-5.00",               "CNY", FALSE, 0, BB_MONEY_ERROR_NEGATIVE },
  { "-¥0.01",              "CNY", FALSE, 0, BB_MONEY_ERROR_NEGATIVE },
  { "--5",                 "CNY", TRUE,  0, BB_MONEY_ERROR_INVALID },
  { "+-5",                 "CNY", TRUE,  0, BB_MONEY_ERROR_INVALID },
  { "5-",                  "CNY", TRUE,  0, BB_MONEY_ERROR_INVALID },
  { "-",                   "CNY", TRUE,  0, BB_MONEY_ERROR_INVALID },
  { "(5.00)",              "CNY", TRUE,  0, BB_MONEY_ERROR_INVALID },
  /* not numbers */
  { "",                    "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "   ",                 "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "¥",                   "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { ".",                   "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "abc",                 "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "12a",                 "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1e3",                 "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "0x10",                "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1.2.3",               "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1..2",                "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1 234",               "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "12.5%",               "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "¥12 CNY",             "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "¥¥12",                "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  /* bad grouping */
  { "1,23.00",             "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1234,567",            "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1,234,",              "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { ",123",                "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1,,234",              "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1,23,456",            "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },  /* Indian-style lakh grouping */
  { "1,2345,678",          "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "12,50",               "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },  /* decimal comma */
  { "1.234,50",            "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1,234.5,0",           "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  /* control characters and bad encodings */
  { "12\t",                "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1\n2",                "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "12\x7f",              "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "\xff" "12",           "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "12\xc3",              "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  /* decimals */
  { "12.345",              "CNY", FALSE, 0, BB_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "0.001",               "CNY", FALSE, 0, BB_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "-1.0001",             "CNY", TRUE,  0, BB_MONEY_ERROR_TOO_MANY_DECIMALS },
  /* size */
  { "10000000000000",      "CNY", FALSE, G_GINT64_CONSTANT (1000000000000000), NO_ERROR },
  { "-10,000,000,000,000", "CNY", TRUE,  G_GINT64_CONSTANT (-1000000000000000), NO_ERROR },
  { "10000000000000.01",   "CNY", FALSE, 0, BB_MONEY_ERROR_OVERFLOW },
  { "99999999999999999999", "CNY", FALSE, 0, BB_MONEY_ERROR_OVERFLOW },
  { "92233720368547758.07", "CNY", FALSE, 0, BB_MONEY_ERROR_OVERFLOW },
  { "-99999999999999999999", "CNY", TRUE, 0, BB_MONEY_ERROR_OVERFLOW },
  { "1" "00000000000000000000000000000000000000", "CNY", FALSE, 0, BB_MONEY_ERROR_OVERFLOW },
  /* other currencies in a CNY book */
  { "$12",                 "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "USD 12",              "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "12 EUR",              "CNY", FALSE, 0, BB_MONEY_ERROR_INVALID },
  /* JPY: no minor unit */
  { "¥1235",               "JPY", FALSE, 1235, NO_ERROR },
  { "￥1,235",             "JPY", FALSE, 1235, NO_ERROR },
  { "1235.0",              "JPY", FALSE, 1235, NO_ERROR },
  { "JPY 100",             "JPY", FALSE, 100, NO_ERROR },
  { "JP¥100",              "JPY", FALSE, 100, NO_ERROR },
  { "100円",               "JPY", FALSE, 100, NO_ERROR },
  { "1235.5",              "JPY", FALSE, 0, BB_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "¥1234.50",            "JPY", FALSE, 0, BB_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "10000000000001",      "JPY", FALSE, 0, BB_MONEY_ERROR_OVERFLOW },
  /* dollars */
  { "$1,234.56",           "USD", FALSE, 123456, NO_ERROR },
  { "＄5",                 "USD", FALSE, 500, NO_ERROR },
  { "US$ 3",               "USD", FALSE, 300, NO_ERROR },
  { "-USD 3",              "USD", TRUE,  -300, NO_ERROR },
  { "¥12",                 "USD", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "HK$12",               "USD", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "HK$12.30",            "HKD", FALSE, 1230, NO_ERROR },
  { "$12.30",              "HKD", FALSE, 1230, NO_ERROR },
  { "12 HKD",              "HKD", FALSE, 1200, NO_ERROR },
  { "NT$100",              "TWD", FALSE, 10000, NO_ERROR },
  { "S$1.05",              "SGD", FALSE, 105, NO_ERROR },
  { "MOP$20",              "MOP", FALSE, 2000, NO_ERROR },
  { "A$7.5",               "AUD", FALSE, 750, NO_ERROR },
  { "CA$0.99",             "CAD", FALSE, 99, NO_ERROR },
  /* others */
  { "€12.50",              "EUR", FALSE, 1250, NO_ERROR },
  { "12.50 €",             "EUR", FALSE, 1250, NO_ERROR },
  { "€12,50",              "EUR", FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "£3",                  "GBP", FALSE, 300, NO_ERROR },
  { "￡3",                 "GBP", FALSE, 300, NO_ERROR },
  { "₩1,000",              "KRW", FALSE, 1000, NO_ERROR },
  { "￦500",               "KRW", FALSE, 500, NO_ERROR },
  { "₩1.5",                "KRW", FALSE, 0, BB_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "CHF 12.50",           "CHF", FALSE, 1250, NO_ERROR },
  { "CHF\u00A012.50",      "CHF", FALSE, 1250, NO_ERROR },
  { "chf12.5",             "CHF", FALSE, 1250, NO_ERROR },
};

static void
test_money_parse_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      const BbCurrency *currency = bb_currency_lookup (c->currency);
      g_autofree char *shown = printable (c->text);
      g_autoptr(GError) error = NULL;
      BbMoney value = 4242;
      gboolean ok;

      g_test_message ("case %" G_GSIZE_FORMAT ": “%s” in %s", i, shown, c->currency);
      g_assert_nonnull (currency);

      ok = bb_money_parse (c->text, currency, FIELD, c->allow_negative, &value, &error);

      if (c->code == NO_ERROR)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (value, ==, c->expected);
        }
      else
        {
          g_assert_false (ok);
          assert_error_names_field (error, c->code, FIELD);
          g_assert_cmpint (value, ==, 4242);   /* untouched */
        }
    }
}

static void
test_money_parse_grouping (void)
{
  g_autoptr(GError) error = NULL;
  BbMoney value = 0;

  g_assert_true (bb_money_parse ("1,234,567", NULL, FIELD, FALSE, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 123456700);

  g_assert_false (bb_money_parse ("1,23.00", NULL, FIELD, FALSE, &value, &error));
  assert_error_names_field (error, BB_MONEY_ERROR_INVALID, FIELD);
  g_assert_cmpstr (error->message, ==,
                   "Unit price: “1,23.00” is not a valid amount; "
                   "commas must separate groups of three digits");
}

static void
test_money_parse_messages (void)
{
  const BbCurrency *cny = bb_currency_lookup ("CNY");
  const BbCurrency *jpy = bb_currency_lookup ("JPY");
  GError *error = NULL;
  BbMoney value;

  g_assert_false (bb_money_parse ("12.345", cny, "Unit price", FALSE, &value, &error));
  g_assert_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_TOO_MANY_DECIMALS);
  g_assert_cmpstr (error->message, ==,
                   "Unit price: “12.345” has more decimals than CNY allows (2)");
  g_clear_error (&error);

  g_assert_false (bb_money_parse ("  1.5 ", jpy, "Amount paid", FALSE, &value, &error));
  g_assert_cmpstr (error->message, ==,
                   "Amount paid: “1.5” has more decimals than JPY allows (0)");
  g_clear_error (&error);

  g_assert_false (bb_money_parse ("", cny, "Credit limit", FALSE, &value, &error));
  g_assert_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Credit limit: enter an amount");
  g_clear_error (&error);

  g_assert_false (bb_money_parse (NULL, cny, "Credit limit", FALSE, &value, &error));
  g_assert_cmpstr (error->message, ==, "Credit limit: enter an amount");
  g_clear_error (&error);

  g_assert_false (bb_money_parse ("12x", cny, "Total", FALSE, &value, &error));
  g_assert_cmpstr (error->message, ==, "Total: “12x” is not a valid amount");
  g_clear_error (&error);

  g_assert_false (bb_money_parse ("-3", cny, "Total", FALSE, &value, &error));
  g_assert_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_NEGATIVE);
  g_assert_cmpstr (error->message, ==, "Total: “-3” is negative; enter zero or more");
  g_clear_error (&error);

  g_assert_false (bb_money_parse ("99999999999999999999", cny, "Total", FALSE, &value, &error));
  g_assert_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_OVERFLOW);
  g_assert_cmpstr (error->message, ==, "Total: “99999999999999999999” is too large");
  g_clear_error (&error);

  g_assert_false (bb_money_parse ("$12", cny, "Total", FALSE, &value, &error));
  g_assert_cmpstr (error->message, ==,
                   "Total: “$12” is in another currency; amounts here are in CNY");
  g_clear_error (&error);

  /* a control character is not copied into the message */
  g_assert_false (bb_money_parse ("1\x01" "2", cny, "Total", FALSE, &value, &error));
  g_assert_cmpstr (error->message, ==,
                   "Total: “1\uFFFD" "2” contains a control character");
  g_clear_error (&error);

  /* nor are bytes that are not UTF-8 */
  g_assert_false (bb_money_parse ("\xff\xfe", cny, "Total", FALSE, &value, &error));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, ==, "Total: the text is not valid UTF-8");
  g_clear_error (&error);

  /* long text is shortened in the message */
  g_assert_false (bb_money_parse ("12345678901234567890123456789012345678901234567890x",
                                  cny, "Total", FALSE, &value, &error));
  g_assert_cmpstr (error->message, ==,
                   "Total: “1234567890123456789012345678901234567890…” is not a valid amount");
  g_clear_error (&error);
}

static void
test_money_parse_defaults (void)
{
  g_autoptr(GError) error = NULL;
  BbMoney value = 0;

  /* NULL currency is the default (CNY) */
  g_assert_true (bb_money_parse ("¥1.25", NULL, FIELD, FALSE, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 125);

  /* out may be NULL to only validate */
  g_assert_true (bb_money_parse ("1.25", NULL, FIELD, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (bb_money_parse ("1.255", NULL, FIELD, FALSE, NULL, NULL));
}

/* ------------------------------------------------------------------ */
/* Formatting money                                                    */

typedef struct
{
  gint64      amount;
  const char *currency;
  const char *display;
  const char *plain;
} FormatCase;

static const FormatCase format_cases[] = {
  { 123450,    "CNY", "¥1,234.50",      "1234.50" },
  { -123450,   "CNY", "-¥1,234.50",     "-1234.50" },
  { 0,         "CNY", "¥0.00",          "0.00" },
  { 5,         "CNY", "¥0.05",          "0.05" },
  { -5,        "CNY", "-¥0.05",         "-0.05" },
  { 100,       "CNY", "¥1.00",          "1.00" },
  { 99999,     "CNY", "¥999.99",        "999.99" },
  { 100000,    "CNY", "¥1,000.00",      "1000.00" },
  { 12345600,  "CNY", "¥123,456.00",    "123456.00" },
  { 123456789, "CNY", "¥1,234,567.89",  "1234567.89" },
  { G_MAXINT64, "CNY", "¥92,233,720,368,547,758.07", "92233720368547758.07" },
  { G_MININT64, "CNY", "-¥92,233,720,368,547,758.08", "-92233720368547758.08" },
  { 1235,      "JPY", "¥1,235",         "1235" },
  { -1235,     "JPY", "-¥1,235",        "-1235" },
  { 0,         "JPY", "¥0",             "0" },
  { 999,       "JPY", "¥999",           "999" },
  { 1000000,   "KRW", "₩1,000,000",     "1000000" },
  { 123456,    "USD", "$1,234.56",      "1234.56" },
  { 1230,      "HKD", "HK$12.30",       "12.30" },
  { -1,        "MOP", "-MOP$0.01",      "-0.01" },
  { 123450,    "CHF", "CHF\u00A01,234.50", "1234.50" },
  { 99,        "EUR", "€0.99",          "0.99" },
};

static void
test_money_format_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const FormatCase *c = &format_cases[i];
      const BbCurrency *currency = bb_currency_lookup (c->currency);
      g_autofree char *display = bb_money_format (c->amount, currency);
      g_autofree char *plain = bb_money_format_plain (c->amount, currency);

      g_assert_cmpstr (display, ==, c->display);
      g_assert_cmpstr (plain, ==, c->plain);
    }
}

static void
test_money_format_default (void)
{
  g_autofree char *display = bb_money_format (-123450, NULL);
  g_autofree char *plain = bb_money_format_plain (-123450, NULL);

  g_assert_cmpstr (display, ==, "-¥1,234.50");
  g_assert_cmpstr (plain, ==, "-1234.50");
}

/* What bb_money_format() and bb_money_format_plain() write, bb_money_parse()
 * reads back (in the C locale, where the app writes files). */
static void
test_money_format_roundtrip (void)
{
  static const gint64 amounts[] = {
    0, 1, -1, 99, 100, 123450, -123450, 100000000, G_GINT64_CONSTANT (10000000000000),
    -G_GINT64_CONSTANT (10000000000000),
  };
  const BbCurrency * const *list = bb_currency_list ();

  for (gsize c = 0; list[c] != NULL; c++)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (amounts); i++)
        {
          g_autofree char *display = bb_money_format (amounts[i], list[c]);
          g_autofree char *plain = bb_money_format_plain (amounts[i], list[c]);
          g_autoptr(GError) error = NULL;
          BbMoney value = -42;

          g_assert_true (bb_money_parse (display, list[c], FIELD, TRUE, &value, &error));
          g_assert_no_error (error);
          g_assert_cmpint (value, ==, amounts[i]);

          value = -42;
          g_assert_true (bb_money_parse (plain, list[c], FIELD, TRUE, &value, &error));
          g_assert_no_error (error);
          g_assert_cmpint (value, ==, amounts[i]);
        }
    }
}

/* In a locale with its own separators they are used for display only. */
static void
test_money_format_locale (void)
{
  static const char * const names[] = { "de_DE.UTF-8", "de_DE.utf8", "de_DE", NULL };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  const char *found = NULL;

  for (guint i = 0; names[i] != NULL && found == NULL; i++)
    found = setlocale (LC_NUMERIC, names[i]);

  if (found == NULL)
    {
      g_test_skip ("no German locale installed");
      return;
    }

  {
    g_autofree char *display = bb_money_format (123456789, bb_currency_lookup ("CNY"));
    g_autofree char *jpy = bb_money_format (-1234567, bb_currency_lookup ("JPY"));
    g_autofree char *plain = bb_money_format_plain (123456789, bb_currency_lookup ("CNY"));

    setlocale (LC_NUMERIC, saved);

    g_assert_cmpstr (display, ==, "¥1.234.567,89");
    g_assert_cmpstr (jpy, ==, "-¥1.234.567");
    g_assert_cmpstr (plain, ==, "1234567.89");
  }
}

/* ------------------------------------------------------------------ */
/* Rounding                                                            */

typedef struct
{
  gint64 num;
  gint64 den;
  gint64 expected;
} RoundCase;

static const RoundCase round_cases[] = {
  { 0, 7, 0 },
  { 7, 1, 7 },
  { -7, 1, -7 },
  { 4, 10, 0 },
  { 5, 10, 1 },          /* 0.5 → 1 */
  { -5, 10, -1 },        /* −0.5 → −1 */
  { 6, 10, 1 },
  { -4, 10, 0 },
  { 14, 10, 1 },
  { 15, 10, 2 },         /* 1.5 → 2 */
  { 25, 10, 3 },         /* 2.5 → 3, not 2 as banker's rounding would give */
  { -25, 10, -3 },
  { -15, 10, -2 },
  { -14, 10, -1 },
  { -16, 10, -2 },
  { 1, 2, 1 },
  { -1, 2, -1 },
  { 3, 2, 2 },
  { -3, 2, -2 },
  { 1, 3, 0 },
  { 2, 3, 1 },
  { -2, 3, -1 },
  { 49999, 100000, 0 },
  { 50000, 100000, 1 },
  { -50000, 100000, -1 },
  { 9995, 10, 1000 },
  { G_MAXINT64, 1, G_MAXINT64 },
  { G_MININT64, 1, G_MININT64 },
  { G_MAXINT64, G_MAXINT64, 1 },
  { G_MAXINT64, 2, G_GINT64_CONSTANT (4611686018427387904) },   /* …903.5 → …904 */
  { G_MININT64, 3, G_GINT64_CONSTANT (-3074457345618258603) },  /* …602.67 → …603 */
};

static void
test_round_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (round_cases); i++)
    {
      const RoundCase *c = &round_cases[i];
      gint64 checked = 4242;

      g_test_message ("case %" G_GSIZE_FORMAT ": %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT,
                      i, c->num, c->den);
      g_assert_cmpint (bb_div_round_half_away (c->num, c->den), ==, c->expected);
      g_assert_true (bb_div_round_half_away_checked (c->num, c->den, &checked));
      g_assert_cmpint (checked, ==, c->expected);
    }
}

static void
test_round_wide (void)
{
  gint64 out = 4242;

  /* dividends beyond 64 bits whose quotient fits */
  g_assert_cmpint (bb_div_round_half_away ((__int128) G_MAXINT64 * 10 + 4, 10), ==, G_MAXINT64);
  g_assert_cmpint (bb_div_round_half_away ((__int128) G_MININT64 * 10 - 4, 10), ==, G_MININT64);
  g_assert_cmpint (bb_div_round_half_away ((__int128) G_MAXINT64 * G_MAXINT64, G_MAXINT64),
                   ==, G_MAXINT64);

  /* and those whose quotient does not */
  g_assert_false (bb_div_round_half_away_checked ((__int128) G_MAXINT64 * 10 + 5, 10, &out));
  g_assert_false (bb_div_round_half_away_checked ((__int128) G_MININT64 * 10 - 5, 10, &out));
  g_assert_false (bb_div_round_half_away_checked ((__int128) G_MAXINT64 + 1, 1, &out));
  g_assert_cmpint (out, ==, 4242);
}

/* Criticals that a test expects are caught here instead of aborting; the
 * rest go to the default writer. Works whether the library logs through
 * the structured API (as billbook-core is built) or through g_log(). */
static const char *expected_critical;
static guint n_expected_criticals_seen;

static GLogWriterOutput
test_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (expected_critical != NULL && (log_level & G_LOG_LEVEL_CRITICAL))
    {
      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
              strstr (fields[i].value, expected_critical) != NULL)
            {
              n_expected_criticals_seen++;
              return G_LOG_WRITER_HANDLED;
            }
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_round_unchecked_overflow (void)
{
  GLogLevelFlags fatal_mask;
  gint64 high, low;

  /* A quotient that does not fit is a programming error: a critical, then
   * saturation. Criticals are fatal in tests, so make them not fatal for
   * these two calls only. */
  fatal_mask = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  expected_critical = "quotient does not fit in 64 bits";
  n_expected_criticals_seen = 0;

  high = bb_div_round_half_away ((__int128) G_MAXINT64 + 1, 1);
  low = bb_div_round_half_away ((__int128) G_MININT64 * 10 - 5, 10);

  expected_critical = NULL;
  g_log_set_always_fatal (fatal_mask);

  g_assert_cmpuint (n_expected_criticals_seen, ==, 2);
  g_assert_cmpint (high, ==, G_MAXINT64);
  g_assert_cmpint (low, ==, G_MININT64);
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */

typedef struct
{
  const char *what;
  BbQuantity  quantity;    /* thousandths */
  BbMoney     unit_price;  /* fen */
  BbRate      discount;    /* bp */
  BbRate      tax_rate;    /* bp */
  BbMoney     net;
  BbMoney     tax;
} LineCase;

static const LineCase line_cases[] = {
  { "1 × 1.00",                      1000,  100,    0,    0,     100,   0 },
  { "0.333 × 3.00 = 0.999",           333,  300,    0,    0,     100,   0 },
  { "2.5 × 0.01 = 0.025",            2500,    1,    0,    0,       3,   0 },
  { "1.5 × 0.01 = 0.015",            1500,    1,    0,    0,       2,   0 },
  { "0.5 × 0.01 = 0.005",             500,    1,    0,    0,       1,   0 },
  { "0.499 × 0.01",                   499,    1,    0,    0,       0,   0 },
  { "2.5 × −0.01 (credit line)",     2500,   -1,    0,    0,      -3,   0 },
  { "−0.5 × 0.01 (return)",          -500,    1,    0,    0,      -1,   0 },
  { "−2 × 9.99 at 13 %",            -2000,  999,    0, 1300,   -1998,-260 },
  { "3 × 9.99, 100 % discount",      3000,  999, 10000, 1300,       0,   0 },
  { "1 × 0.05, 10 % off = 0.045",    1000,    5, 1000,    0,       5,   0 },
  { "1 × 0.05, 30 % off = 0.035",    1000,    5, 3000,    0,       4,   0 },
  { "3 × 9.99, 33.33 % off",         3000,  999, 3333,    0,    1998,   0 },
  { "1.5 × 19.99, 5 % off, 13 % tax", 1500, 1999,  500, 1300,    2849, 370 },
  { "1 × 100.00 at 13 %",            1000, 10000,   0, 1300,   10000, 1300 },
  { "1 × 0.50 at 13 % = 0.065",      1000,   50,    0, 1300,      50,   7 },
  { "1 × −0.50 at 13 %",             1000,  -50,    0, 1300,     -50,  -7 },
  { "1 × 0.03 at 13 % = 0.0039",     1000,    3,    0, 1300,       3,   0 },
  { "1 × 0.04 at 13 % = 0.0052",     1000,    4,    0, 1300,       4,   1 },
  { "1 × 0.25 at 6 % = 0.015",       1000,   25,    0,  600,      25,   2 },
  { "0.125 kg × 88.00 at 9 %",        125, 8800,    0,  900,    1100,  99 },
  { "0.001 × 0.01",                     1,    1,    0,    0,       0,   0 },
  { "1,000,000 × 0.01 at 0 %",   1000000000,  1,    0,    0, 1000000,   0 },
  { "0 × 9.99",                         0,  999,    0, 1300,       0,   0 },
  { "JPY: 3 × ¥333, 10 % off",       3000,  333, 1000, 1000,     899,  90 },
};

static void
test_line_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (line_cases); i++)
    {
      const LineCase *c = &line_cases[i];
      BbMoney net = 4242;
      BbMoney tax = 4242;

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, c->what);
      g_assert_true (bb_money_line_net (c->quantity, c->unit_price, c->discount, &net));
      g_assert_cmpint (net, ==, c->net);
      g_assert_true (bb_money_apply_rate (net, c->tax_rate, &tax));
      g_assert_cmpint (tax, ==, c->tax);
    }
}

/* The line total a user sees on the bill, through the display format. */
static void
test_line_display (void)
{
  BbMoney net, tax, total;
  g_autofree char *shown = NULL;

  /* 0.333 × ¥3.00: ¥0.999 is shown as ¥1.00, not ¥0.99 */
  g_assert_true (bb_money_line_net (333, 300, 0, &net));
  shown = bb_money_format (net, NULL);
  g_assert_cmpstr (shown, ==, "¥1.00");
  g_clear_pointer (&shown, g_free);

  /* 12 × ¥1,299.00, 15 % off, 13 % tax */
  g_assert_true (bb_money_line_net (12000, 129900, 1500, &net));
  g_assert_true (bb_money_apply_rate (net, 1300, &tax));
  g_assert_true (bb_money_add (net, tax, &total));
  shown = bb_money_format (total, NULL);
  g_assert_cmpstr (shown, ==, "¥14,972.27");   /* 13,249.80 + (1,722.474 → 1,722.47) */
}

/* ------------------------------------------------------------------ */
/* Overflow                                                            */

static void
test_overflow_add_sub (void)
{
  BbMoney out = 4242;

  g_assert_false (bb_money_add (G_MAXINT64, 1, &out));
  g_assert_cmpint (out, ==, 4242);
  g_assert_false (bb_money_add (G_MININT64, -1, &out));
  g_assert_false (bb_money_add (G_MAXINT64, G_MAXINT64, &out));
  g_assert_cmpint (out, ==, 4242);

  g_assert_true (bb_money_add (G_MAXINT64 - 1, 1, &out));
  g_assert_cmpint (out, ==, G_MAXINT64);
  g_assert_true (bb_money_add (G_MAXINT64, G_MININT64, &out));
  g_assert_cmpint (out, ==, -1);
  g_assert_true (bb_money_add (123450, -5, &out));
  g_assert_cmpint (out, ==, 123445);

  out = 4242;
  g_assert_false (bb_money_sub (G_MININT64, 1, &out));
  g_assert_false (bb_money_sub (0, G_MININT64, &out));
  g_assert_false (bb_money_sub (G_MAXINT64, -1, &out));
  g_assert_cmpint (out, ==, 4242);
  g_assert_true (bb_money_sub (-1, G_MAXINT64, &out));
  g_assert_cmpint (out, ==, G_MININT64);
  g_assert_true (bb_money_sub (100, 250, &out));
  g_assert_cmpint (out, ==, -150);
}

static void
test_overflow_multiply (void)
{
  BbMoney out = 4242;

  g_assert_false (bb_money_multiply (G_MAXINT64 / 2 + 1, 2, &out));
  g_assert_false (bb_money_multiply (G_MININT64, -1, &out));
  g_assert_false (bb_money_multiply (G_GINT64_CONSTANT (10000000000), 1000000000, &out));
  g_assert_cmpint (out, ==, 4242);

  g_assert_true (bb_money_multiply (G_MAXINT64 / 2, 2, &out));
  g_assert_cmpint (out, ==, G_MAXINT64 - 1);
  g_assert_true (bb_money_multiply (G_MININT64 / 2, 2, &out));
  g_assert_cmpint (out, ==, G_MININT64);
  g_assert_true (bb_money_multiply (1999, -3, &out));
  g_assert_cmpint (out, ==, -5997);
}

static void
test_overflow_line (void)
{
  BbMoney out = 4242;

  /* q × p fits in 128 bits but × (1 − discount) does not */
  g_assert_false (bb_money_line_net (G_MAXINT64, G_MAXINT64, 0, &out));
  g_assert_false (bb_money_line_net (G_MININT64, G_MAXINT64, 0, &out));
  /* the product is fine, the result is not 64 bits */
  g_assert_false (bb_money_line_net (2 * BB_QUANTITY_ONE, G_MAXINT64, 0, &out));
  g_assert_false (bb_money_line_net (-BB_QUANTITY_ONE, G_MININT64, 0, &out));
  g_assert_cmpint (out, ==, 4242);

  /* right at the edge */
  g_assert_true (bb_money_line_net (BB_QUANTITY_ONE, G_MAXINT64, 0, &out));
  g_assert_cmpint (out, ==, G_MAXINT64);
  g_assert_true (bb_money_line_net (BB_QUANTITY_ONE, G_MININT64, 0, &out));
  g_assert_cmpint (out, ==, G_MININT64);
  /* a huge price with a full discount is 0, not an overflow */
  g_assert_true (bb_money_line_net (G_MAXINT64, G_MAXINT64, BB_RATE_ONE_HUNDRED_PERCENT, &out));
  g_assert_cmpint (out, ==, 0);
  /* 2 × MAX × 50 % — the intermediate needs more than 64 bits */
  g_assert_true (bb_money_line_net (2 * BB_QUANTITY_ONE, G_MAXINT64 - 1, 5000, &out));
  g_assert_cmpint (out, ==, G_MAXINT64 - 1);

  out = 4242;
  g_assert_false (bb_money_apply_rate (G_MAXINT64, 10001, &out));
  g_assert_false (bb_money_apply_rate (G_MININT64, 20000, &out));
  g_assert_cmpint (out, ==, 4242);
  g_assert_true (bb_money_apply_rate (G_MAXINT64, BB_RATE_ONE_HUNDRED_PERCENT, &out));
  g_assert_cmpint (out, ==, G_MAXINT64);
  g_assert_true (bb_money_apply_rate (G_MAXINT64, 1300, &out));
  g_assert_cmpint (out, ==, G_GINT64_CONSTANT (1199038364791120855));   /* …854.91 → …855 */
}

static void
test_overflow_parse (void)
{
  g_autoptr(GError) error = NULL;
  BbMoney value = 4242;

  g_assert_false (bb_money_parse ("99999999999999999999", NULL, FIELD, FALSE, &value, &error));
  assert_error_names_field (error, BB_MONEY_ERROR_OVERFLOW, FIELD);
  g_clear_error (&error);

  /* G_MAXINT64 + 1 minor units */
  g_assert_false (bb_money_parse ("92233720368547758.08", NULL, FIELD, FALSE, &value, &error));
  assert_error_names_field (error, BB_MONEY_ERROR_OVERFLOW, FIELD);
  g_clear_error (&error);

  g_assert_false (bb_money_parse ("18446744073709551616", NULL, FIELD, TRUE, &value, &error));
  assert_error_names_field (error, BB_MONEY_ERROR_OVERFLOW, FIELD);
  g_assert_cmpint (value, ==, 4242);
}

/* ------------------------------------------------------------------ */
/* Quantities                                                          */

typedef struct
{
  const char *text;
  gboolean    allow_negative;
  gint64      expected;
  int         code;
} ScaledCase;

static const ScaledCase quantity_cases[] = {
  { "1",          FALSE, 1000, NO_ERROR },
  { "1.5",        FALSE, 1500, NO_ERROR },
  { "0.125",      FALSE, 125, NO_ERROR },
  { "0.001",      FALSE, 1, NO_ERROR },
  { "1,000",      FALSE, 1000000, NO_ERROR },
  { "2.0000",     FALSE, 2000, NO_ERROR },
  { " 3 ",        FALSE, 3000, NO_ERROR },
  { "１．５",     FALSE, 1500, NO_ERROR },
  { "0",          FALSE, 0, NO_ERROR },
  { "-1",         TRUE,  -1000, NO_ERROR },
  { "-0.5",       TRUE,  -500, NO_ERROR },
  { "1000000000000", FALSE, G_GINT64_CONSTANT (1000000000000000), NO_ERROR },
  { "-1",         FALSE, 0, BB_MONEY_ERROR_NEGATIVE },
  { "0.0005",     FALSE, 0, BB_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "1.2345",     FALSE, 0, BB_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "1000000000001", FALSE, 0, BB_MONEY_ERROR_OVERFLOW },
  { "99999999999999999999", FALSE, 0, BB_MONEY_ERROR_OVERFLOW },
  { "",           FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "one",        FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1/2",        FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1e3",        FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1,00",       FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "1.5.0",      FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "¥1",         FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "3 kg",       FALSE, 0, BB_MONEY_ERROR_INVALID },
  { "5%",         FALSE, 0, BB_MONEY_ERROR_INVALID },
};

static void
test_quantity_parse (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (quantity_cases); i++)
    {
      const ScaledCase *c = &quantity_cases[i];
      g_autoptr(GError) error = NULL;
      BbQuantity value = 4242;
      gboolean ok;

      g_test_message ("case %" G_GSIZE_FORMAT ": “%s”", i, c->text);
      ok = bb_quantity_parse (c->text, "Quantity", c->allow_negative, &value, &error);

      if (c->code == NO_ERROR)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (value, ==, c->expected);
        }
      else
        {
          g_assert_false (ok);
          assert_error_names_field (error, c->code, "Quantity");
          g_assert_cmpint (value, ==, 4242);
        }
    }
}

static void
test_quantity_messages (void)
{
  g_autoptr(GError) error = NULL;
  BbQuantity value;

  g_assert_false (bb_quantity_parse ("0.0005", "Qty", FALSE, &value, &error));
  g_assert_cmpstr (error->message, ==, "Qty: “0.0005” has more than three decimals");
  g_clear_error (&error);

  g_assert_false (bb_quantity_parse ("two", "Qty", FALSE, &value, &error));
  g_assert_cmpstr (error->message, ==, "Qty: “two” is not a valid quantity");
  g_clear_error (&error);

  g_assert_false (bb_quantity_parse ("", "Qty", FALSE, &value, &error));
  g_assert_cmpstr (error->message, ==, "Qty: enter a quantity");
}

static void
test_quantity_format (void)
{
  static const struct { BbQuantity q; const char *text; } cases[] = {
    { 1500, "1.5" },
    { 2000, "2" },
    { 125, "0.125" },
    { 1, "0.001" },
    { 10, "0.01" },
    { 1001, "1.001" },
    { 0, "0" },
    { -1500, "-1.5" },
    { -1, "-0.001" },
    { 1000000, "1000" },
    { G_MAXINT64, "9223372036854775.807" },
    { G_MININT64, "-9223372036854775.808" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = bb_quantity_format (cases[i].q);
      BbQuantity back = 0;

      g_assert_cmpstr (text, ==, cases[i].text);
      if (cases[i].q >= -G_GINT64_CONSTANT (1000000000000000) &&
          cases[i].q <= G_GINT64_CONSTANT (1000000000000000))
        {
          g_assert_true (bb_quantity_parse (text, "Quantity", TRUE, &back, NULL));
          g_assert_cmpint (back, ==, cases[i].q);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Rates                                                               */

typedef struct
{
  const char *text;
  gboolean    max_100;
  gint64      expected;
  int         code;
} RateCase;

static const RateCase rate_cases[] = {
  { "13",         TRUE,  1300, NO_ERROR },
  { "12.5",       TRUE,  1250, NO_ERROR },
  { "0.25",       TRUE,  25, NO_ERROR },
  { "0",          TRUE,  0, NO_ERROR },
  { "100",        TRUE,  10000, NO_ERROR },
  { "13%",        TRUE,  1300, NO_ERROR },
  { "13 %",       TRUE,  1300, NO_ERROR },
  { "13％",       TRUE,  1300, NO_ERROR },
  { " 6.000 ",    TRUE,  600, NO_ERROR },
  { "150",        FALSE, 15000, NO_ERROR },
  { "10,000",     FALSE, 1000000, NO_ERROR },
  { "-0",         TRUE,  0, NO_ERROR },
  { "100.01",     TRUE,  0, BB_MONEY_ERROR_OVERFLOW },
  { "150",        TRUE,  0, BB_MONEY_ERROR_OVERFLOW },
  { "10000.01",   FALSE, 0, BB_MONEY_ERROR_OVERFLOW },
  { "99999999999999999999", FALSE, 0, BB_MONEY_ERROR_OVERFLOW },
  { "0.125",      TRUE,  0, BB_MONEY_ERROR_TOO_MANY_DECIMALS },
  { "-5",         TRUE,  0, BB_MONEY_ERROR_NEGATIVE },
  { "-5",         FALSE, 0, BB_MONEY_ERROR_NEGATIVE },
  { "",           TRUE,  0, BB_MONEY_ERROR_INVALID },
  { "abc",        TRUE,  0, BB_MONEY_ERROR_INVALID },
  { "5%%",        TRUE,  0, BB_MONEY_ERROR_INVALID },
  { "%5",         TRUE,  0, BB_MONEY_ERROR_INVALID },
  { "0.13 ¥",     TRUE,  0, BB_MONEY_ERROR_INVALID },
  { "1/8",        TRUE,  0, BB_MONEY_ERROR_INVALID },
};

static void
test_rate_parse (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rate_cases); i++)
    {
      const RateCase *c = &rate_cases[i];
      g_autoptr(GError) error = NULL;
      BbRate value = 4242;
      gboolean ok;

      g_test_message ("case %" G_GSIZE_FORMAT ": “%s”", i, c->text);
      ok = bb_rate_parse (c->text, "Tax rate", c->max_100, &value, &error);

      if (c->code == NO_ERROR)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (value, ==, c->expected);
        }
      else
        {
          g_assert_false (ok);
          assert_error_names_field (error, c->code, "Tax rate");
          g_assert_cmpint (value, ==, 4242);
        }
    }
}

static void
test_rate_messages (void)
{
  g_autoptr(GError) error = NULL;
  BbRate value;

  g_assert_false (bb_rate_parse ("120", "Discount", TRUE, &value, &error));
  g_assert_cmpstr (error->message, ==, "Discount: “120” is more than 100 %");
  g_clear_error (&error);

  g_assert_false (bb_rate_parse ("12.345", "Discount", TRUE, &value, &error));
  g_assert_cmpstr (error->message, ==, "Discount: “12.345” has more than two decimals");
  g_clear_error (&error);

  g_assert_false (bb_rate_parse ("x", "Discount", TRUE, &value, &error));
  g_assert_cmpstr (error->message, ==, "Discount: “x” is not a valid percentage");
}

static void
test_rate_format (void)
{
  static const struct { BbRate r; const char *text; } cases[] = {
    { 1300, "13" },
    { 1250, "12.5" },
    { 25, "0.25" },
    { 5, "0.05" },
    { 0, "0" },
    { 10000, "100" },
    { 1000000, "10000" },
    { 1, "0.01" },
    { -25, "-0.25" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = bb_rate_format (cases[i].r);
      BbRate back = -1;

      g_assert_cmpstr (text, ==, cases[i].text);
      if (cases[i].r >= 0)
        {
          g_assert_true (bb_rate_parse (text, "Rate", FALSE, &back, NULL));
          g_assert_cmpint (back, ==, cases[i].r);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_log_set_writer_func (test_log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/currency/lookup", test_currency_lookup);
  g_test_add_func ("/money/currency/default", test_currency_default);
  g_test_add_func ("/money/currency/list", test_currency_list);

  g_test_add_func ("/money/parse/table", test_money_parse_table);
  g_test_add_func ("/money/parse/grouping", test_money_parse_grouping);
  g_test_add_func ("/money/parse/messages", test_money_parse_messages);
  g_test_add_func ("/money/parse/defaults", test_money_parse_defaults);

  g_test_add_func ("/money/format/table", test_money_format_table);
  g_test_add_func ("/money/format/default", test_money_format_default);
  g_test_add_func ("/money/format/roundtrip", test_money_format_roundtrip);
  g_test_add_func ("/money/format/locale", test_money_format_locale);

  g_test_add_func ("/money/round/table", test_round_table);
  g_test_add_func ("/money/round/wide", test_round_wide);
  g_test_add_func ("/money/round/unchecked-overflow", test_round_unchecked_overflow);

  g_test_add_func ("/money/line/table", test_line_table);
  g_test_add_func ("/money/line/display", test_line_display);

  g_test_add_func ("/money/overflow/add-sub", test_overflow_add_sub);
  g_test_add_func ("/money/overflow/multiply", test_overflow_multiply);
  g_test_add_func ("/money/overflow/line", test_overflow_line);
  g_test_add_func ("/money/overflow/parse", test_overflow_parse);

  g_test_add_func ("/quantity/parse", test_quantity_parse);
  g_test_add_func ("/quantity/messages", test_quantity_messages);
  g_test_add_func ("/quantity/format", test_quantity_format);

  g_test_add_func ("/rate/parse", test_rate_parse);
  g_test_add_func ("/rate/messages", test_rate_messages);
  g_test_add_func ("/rate/format", test_rate_format);

  return g_test_run ();
}
