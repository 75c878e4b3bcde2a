/* test-bad-input.c — bad input everywhere: every entry field and every
 * file field refuses bad values, and nothing is half-saved
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table of cases, entry point × field × bad value. Each case copies a
 * small book, calls the core exactly as the window (or an import) does —
 * parsing the typed text where the window parses it — and checks that:
 *
 * 1. a bad value is refused;
 * 2. the message names the field ("Amount: …"), or for a file the line
 *    and the column ("Line 3, amount: …"), is valid UTF-8 and is short
 *    enough to show;
 * 3. nothing was written: a checksum of every table (all rows in rowid
 *    order) and SQLite's total_changes() are the same before and after.
 *
 * Text that merely looks like SQL, and the characters the text rules let
 * through (zero-width space, bidi override; tab and newline where a field
 * has several lines), is accepted: it must read back byte for byte, and
 * every table must still be there with all its rows.
 *
 * Where core falls short, the case is marked with g_test_incomplete()
 * (listed in `gaps` below) instead of failing; a gap that closes fails the
 * case, so that the list and tests/README.md are brought up to date.
 *
 * `test-bad-input --table` prints the cases and what happens to each as
 * a Markdown table: tests/README.md keeps its output.
 */
#include "config.h"

#include <locale.h>
#ifdef __GLIBC__
# include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-business.h"
#include "bb-customer-io.h"
#include "bb-customers.h"
#include "bb-db-private.h"
#include "bb-invoice-io.h"
#include "bb-invoices.h"
#include "bb-money.h"
#include "bb-payment-io.h"
#include "bb-payment-methods.h"
#include "bb-payments.h"
#include "bb-prepaid-io.h"
#include "bb-prepaid.h"
#include "bb-recurring.h"
#include "bb-text.h"

/* A message longer than this is not something a window can show. */
#define MAX_MESSAGE_BYTES 1000
/* How much of a message the table quotes. */
#define TABLE_MESSAGE_CHARS 90

#define HUGE_BYTES (10 * 1024 * 1024)

/* ------------------------------------------------------------------ */
/* Bad values                                                          */

typedef enum
{
  V_EMPTY,
  V_NEGATIVE,
  V_ZERO,
  V_ABSURD,
  V_OVERFLOW,
  V_DECIMALS_CNY,
  V_DECIMALS_JPY,
  V_DECIMALS_QUANTITY,
  V_DECIMALS_RATE,
  V_OVER_100,
  V_OVER_1000,
  V_OVER_OPEN,
  V_OVER_BALANCE,
  V_DAYS_NEGATIVE,
  V_DAYS_ABSURD,
  V_FEB_30,
  V_MONTH_13,
  V_YESTERDAY,
  V_BEFORE,
  V_HUGE,
  V_SOH,
  V_ESC,
  V_DEL,
  V_NEWLINE,
  V_TAB,
  V_BAD_UTF8,
  V_CESU,
  V_ZWSP,
  V_BIDI,
  V_ZWSP_AMOUNT,
  V_SQL_DROP,
  V_SQL_DELETE,
  N_VALUES
} ValueId;

typedef struct
{
  const char *slug;     /* in the test path */
  const char *label;    /* in the table */
  const char *text;     /* NULL: made at run time (V_HUGE) */
} Value;

static const Value values[N_VALUES] = {
  [V_EMPTY]             = { "empty", "empty", "" },
  [V_NEGATIVE]          = { "negative", "`-5`", "-5" },
  [V_ZERO]              = { "zero", "`0`", "0" },
  [V_ABSURD]            = { "absurd", "`1000000000000000` (10¹⁵ yuan)", "1000000000000000" },
  [V_OVERFLOW]          = { "int64-overflow", "`9223372036854775808` (2⁶³, past int64)", "9223372036854775808" },
  [V_DECIMALS_CNY]      = { "decimals-cny", "`1.234` (CNY has 2 decimals)", "1.234" },
  [V_DECIMALS_JPY]      = { "decimals-jpy", "`1.5` in a JPY book (0 decimals)", "1.5" },
  [V_DECIMALS_QUANTITY] = { "decimals", "`1.2345` (quantities have 3 decimals)", "1.2345" },
  [V_DECIMALS_RATE]     = { "decimals", "`12.345` (rates have 2 decimals)", "12.345" },
  [V_OVER_100]          = { "over-100", "`150` (%)", "150" },
  [V_OVER_1000]         = { "over-1000", "`5000` (%)", "5000" },
  [V_OVER_OPEN]         = { "over-open", "`500` (the bill owes 170)", "500" },
  [V_OVER_BALANCE]      = { "over-balance", "`900` (the card holds 500)", "900" },
  [V_DAYS_NEGATIVE]     = { "negative", "`-1` (days)", "-1" },
  [V_DAYS_ABSURD]       = { "absurd", "`4000` (days)", "4000" },
  [V_FEB_30]            = { "feb-30", "`2026-02-30`", "2026-02-30" },
  [V_MONTH_13]          = { "month-13", "`2026-13-01`", "2026-13-01" },
  [V_YESTERDAY]         = { "yesterday", "`yesterday`", "yesterday" },
  [V_BEFORE]            = { "before", "`2026-02-01` (before the date it follows)", "2026-02-01" },
  [V_HUGE]              = { "10mb", "10 MB of `x`", NULL },
  [V_SOH]               = { "soh", "`a\\x01b`", "a\x01" "b" },
  [V_ESC]               = { "esc", "`a\\x1b[31mb` (terminal escape)", "a\x1b[31mb" },
  [V_DEL]               = { "del", "`a\\x7fb`", "a\x7f" "b" },
  [V_NEWLINE]           = { "newline", "`a\\nb`", "a\nb" },
  [V_TAB]               = { "tab", "`a\\tb`", "a\tb" },
  [V_BAD_UTF8]          = { "bad-utf8", "`a\\xff\\xfeb` (not UTF-8)", "a\xff\xfe" "b" },
  [V_CESU]              = { "cesu", "`a\\xed\\xa0\\x80b` (lone surrogate, CESU-8)", "a\xed\xa0\x80" "b" },
  [V_ZWSP]              = { "zwsp", "`a\\u200bb` (zero-width space)", "a\u200b" "b" },
  [V_BIDI]              = { "bidi", "`a\\u202eb` (right-to-left override)", "a\u202e" "b" },
  [V_ZWSP_AMOUNT]       = { "zwsp", "`1\\u200b00` (zero-width space)", "1\u200b" "00" },
  [V_SQL_DROP]          = { "sql-drop", "`'; DROP TABLE customers; --`", "'; DROP TABLE customers; --" },
  [V_SQL_DELETE]        = { "sql-delete", "`Robert'); DELETE FROM invoices;--`", "Robert'); DELETE FROM invoices;--" },
};

static char *huge_text;

static const char *
value_text (ValueId id)
{
  if (id == V_HUGE)
    {
      if (huge_text == NULL)
        huge_text = g_strnfill (HUGE_BYTES, 'x');
      return huge_text;
    }

  return values[id].text;
}

/* ------------------------------------------------------------------ */
/* What is expected                                                    */

typedef enum
{
  REFUSED = 1,
  STORED,       /* text kept: reads back byte for byte (or as Case.stored) */
  ACCEPTED,     /* a number read: reads back as Case.stored */
} Expect;

/* The kinds of field, each with the bad values it is tried with. */
typedef enum
{
  T_TEXT,        /* one line of free text */
  T_MULTILINE,   /* free text with line breaks and tabs */
  T_CODE,        /* no spaces, commas, semicolons or quotes */
  T_PHONE,
  T_EMAIL,
  T_LOOKUP,      /* names a record in the book: a customer code, a bill number */
  T_PATTERN,     /* bill number pattern, tried as VALUE-{seq} */
  T_MONEY,
  T_QUANTITY,
  T_RATE,
  T_DATE,
  T_DAYS,
} FieldType;

typedef struct
{
  ValueId value;
  Expect  expect;
} Try;

#define TEXT_RULES(nl) \
  { V_HUGE, REFUSED }, { V_SOH, REFUSED }, { V_ESC, REFUSED }, { V_DEL, REFUSED }, \
  { V_NEWLINE, nl }, { V_TAB, nl }, { V_BAD_UTF8, REFUSED }, { V_CESU, REFUSED }, \
  { V_ZWSP, STORED }, { V_BIDI, STORED }

static const Try text_tries[] = {
  TEXT_RULES (REFUSED),
  { V_SQL_DROP, STORED }, { V_SQL_DELETE, STORED },
};

static const Try multiline_tries[] = {
  TEXT_RULES (STORED),
  { V_SQL_DROP, STORED }, { V_SQL_DELETE, STORED },
};

static const Try code_tries[] = {
  TEXT_RULES (REFUSED),
  { V_SQL_DROP, REFUSED }, { V_SQL_DELETE, REFUSED },
};

static const Try refused_tries[] = {
  { V_HUGE, REFUSED }, { V_SOH, REFUSED }, { V_ESC, REFUSED }, { V_DEL, REFUSED },
  { V_NEWLINE, REFUSED }, { V_TAB, REFUSED }, { V_BAD_UTF8, REFUSED }, { V_CESU, REFUSED },
  { V_ZWSP, REFUSED }, { V_BIDI, REFUSED }, { V_SQL_DROP, REFUSED }, { V_SQL_DELETE, REFUSED },
};

static const Try lookup_tries[] = {
  { V_HUGE, REFUSED }, { V_SOH, REFUSED }, { V_NEWLINE, REFUSED }, { V_BAD_UTF8, REFUSED },
  { V_CESU, REFUSED }, { V_ZWSP, REFUSED }, { V_SQL_DROP, REFUSED },
};

static const Try pattern_tries[] = {
  TEXT_RULES (REFUSED),
  { V_SQL_DROP, STORED }, { V_SQL_DELETE, STORED },
};

static const Try money_tries[] = {
  { V_NEGATIVE, REFUSED }, { V_ABSURD, REFUSED }, { V_OVERFLOW, REFUSED },
  { V_DECIMALS_CNY, REFUSED }, { V_DECIMALS_JPY, REFUSED }, { V_HUGE, REFUSED },
  { V_SOH, REFUSED }, { V_ESC, REFUSED }, { V_BAD_UTF8, REFUSED }, { V_CESU, REFUSED },
  { V_ZWSP_AMOUNT, ACCEPTED }, { V_SQL_DROP, REFUSED },
};

static const Try quantity_tries[] = {
  { V_NEGATIVE, REFUSED }, { V_ABSURD, REFUSED }, { V_OVERFLOW, REFUSED },
  { V_DECIMALS_QUANTITY, REFUSED }, { V_HUGE, REFUSED }, { V_SOH, REFUSED },
  { V_BAD_UTF8, REFUSED }, { V_CESU, REFUSED }, { V_SQL_DROP, REFUSED },
};

static const Try rate_tries[] = {
  { V_NEGATIVE, REFUSED }, { V_OVERFLOW, REFUSED },
  { V_DECIMALS_RATE, REFUSED }, { V_HUGE, REFUSED }, { V_SOH, REFUSED },
  { V_BAD_UTF8, REFUSED }, { V_CESU, REFUSED }, { V_SQL_DROP, REFUSED },
};

static const Try date_tries[] = {
  { V_FEB_30, REFUSED }, { V_MONTH_13, REFUSED }, { V_YESTERDAY, REFUSED },
  { V_HUGE, REFUSED }, { V_SOH, REFUSED }, { V_BAD_UTF8, REFUSED }, { V_CESU, REFUSED },
  { V_SQL_DROP, REFUSED },
};

static const Try days_tries[] = {
  { V_DAYS_NEGATIVE, REFUSED }, { V_DAYS_ABSURD, REFUSED },
};

typedef struct
{
  const Try *tries;
  guint      n_tries;
} TypeRules;

#define RULES(a) { a, G_N_ELEMENTS (a) }

static const TypeRules type_rules[] = {
  [T_TEXT]      = RULES (text_tries),
  [T_MULTILINE] = RULES (multiline_tries),
  [T_CODE]      = RULES (code_tries),
  [T_PHONE]     = RULES (refused_tries),
  [T_EMAIL]     = RULES (refused_tries),
  [T_LOOKUP]    = RULES (lookup_tries),
  [T_PATTERN]   = RULES (pattern_tries),
  [T_MONEY]     = RULES (money_tries),
  [T_QUANTITY]  = RULES (quantity_tries),
  [T_RATE]      = RULES (rate_tries),
  [T_DATE]      = RULES (date_tries),
  [T_DAYS]      = RULES (days_tries),
};

/* ------------------------------------------------------------------ */
/* Entry points and their fields                                       */

typedef enum
{
  E_CUSTOMER_EDITOR,
  E_INTERACTION,
  E_BUSINESS,
  E_PREFERENCES,
  E_BILL_EDITOR,
  E_VOID,
  E_PAYMENT,
  E_REFUND,
  E_PREPAID_CARD,
  E_PREPAID_TOPUP,
  E_PREPAID_CHARGE,
  E_PREPAID_REFUND,
  E_PREPAID_ADJUST,
  E_RECURRING,
  E_CUSTOMERS_CSV,
  E_INVOICES_CSV,
  E_PAYMENTS_CSV,
  E_PREPAID_CSV,
} Entry;

static const char * const entry_names[] = {
  [E_CUSTOMER_EDITOR] = "Customer editor (`bb_customers_save`)",
  [E_INTERACTION]     = "Log interaction (`bb_interactions_add`)",
  [E_BUSINESS]        = "Business details (`bb_business_save`)",
  [E_PREFERENCES]     = "Preferences",
  [E_BILL_EDITOR]     = "Bill editor (`bb_invoices_save_draft`)",
  [E_VOID]            = "Void bill (`bb_invoices_void`)",
  [E_PAYMENT]         = "Record payment (`bb_payments_record`)",
  [E_REFUND]          = "Refund payment (`bb_payments_reverse`)",
  [E_PREPAID_CARD]    = "Prepaid card terms (`bb_prepaid_save_account`)",
  [E_PREPAID_TOPUP]   = "Prepaid top-up (`bb_prepaid_top_up`)",
  [E_PREPAID_CHARGE]  = "Prepaid charge (`bb_prepaid_charge`)",
  [E_PREPAID_REFUND]  = "Prepaid refund (`bb_prepaid_refund`)",
  [E_PREPAID_ADJUST]  = "Prepaid adjustment (`bb_prepaid_adjust`)",
  [E_RECURRING]       = "Recurring charge (`bb_recurring_save`)",
  [E_CUSTOMERS_CSV]   = "Customers CSV (`bb_customers_import_csv`)",
  [E_INVOICES_CSV]    = "Invoices CSV (`bb_invoices_import_csv`)",
  [E_PAYMENTS_CSV]    = "Payments CSV (`bb_payments_import_csv`)",
  [E_PREPAID_CSV]     = "Prepaid CSV (`bb_prepaid_import_csv`)",
};

static const char * const entry_slugs[] = {
  [E_CUSTOMER_EDITOR] = "customer-editor",
  [E_INTERACTION]     = "interaction",
  [E_BUSINESS]        = "business",
  [E_PREFERENCES]     = "preferences",
  [E_BILL_EDITOR]     = "bill-editor",
  [E_VOID]            = "void",
  [E_PAYMENT]         = "payment",
  [E_REFUND]          = "refund",
  [E_PREPAID_CARD]    = "prepaid-card",
  [E_PREPAID_TOPUP]   = "prepaid-top-up",
  [E_PREPAID_CHARGE]  = "prepaid-charge",
  [E_PREPAID_REFUND]  = "prepaid-refund",
  [E_PREPAID_ADJUST]  = "prepaid-adjust",
  [E_RECURRING]       = "recurring",
  [E_CUSTOMERS_CSV]   = "customers-csv",
  [E_INVOICES_CSV]    = "invoices-csv",
  [E_PAYMENTS_CSV]    = "payments-csv",
  [E_PREPAID_CSV]     = "prepaid-csv",
};

typedef enum
{
  F_CODE, F_NAME, F_COMPANY, F_PHONE, F_EMAIL, F_ADDRESS, F_TAX_ID, F_TAGS, F_NOTES,
  F_CREDIT_LIMIT, F_TERMS, F_CUSTOM,                               /* customer editor */
  F_DATE, F_FOLLOW_UP, F_SUMMARY, F_OUTCOME,                       /* interaction */
  F_BUSINESS_NAME, F_BUSINESS_ADDRESS, F_BUSINESS_PHONE, F_BUSINESS_TAX_ID,
  F_THRESHOLD, F_FIELD_NAME, F_PATTERN, F_METHOD_NAME,             /* preferences */
  F_ISSUED_ON, F_DUE_ON, F_BILL_NOTES, F_DESCRIPTION, F_QUANTITY, F_UNIT_PRICE,
  F_DISCOUNT, F_TAX,                                               /* bill editor */
  F_VOID_REASON,
  F_AMOUNT, F_RECEIVED_ON, F_REFERENCE, F_PAYMENT_NOTE, F_SHARE,   /* payment */
  F_REFUND_REASON,
  F_CARD_NAME, F_CARD_EXPIRES, F_CARD_MONTHS, F_CARD_POLICY, F_CARD_LOW,
  F_CARD_BONUS_AT, F_CARD_BONUS,                                   /* prepaid card */
  F_PP_AMOUNT, F_PP_DATE, F_PP_NOTE,                               /* prepaid ledger */
  F_RC_DESCRIPTION, F_RC_AMOUNT, F_RC_START, F_RC_END,             /* recurring charge */
  F_CSV,                                                           /* a file's column */
} FieldId;

/* Extra values some fields get on top of their kind's. */
enum
{
  X_REQUIRED  = 1 << 0,   /* empty is refused */
  X_ZERO      = 1 << 1,   /* zero is refused */
  X_BEFORE    = 1 << 2,   /* a date before the one it follows is refused */
  X_OVER_OPEN = 1 << 3,   /* more than the bill owes is refused */
  X_OVER_1000 = 1 << 4,   /* a tax rate over 1000 % is refused */
  X_OVER_100  = 1 << 5,   /* a discount over 100 % is refused */
  X_OVER_BALANCE = 1 << 6, /* more than the card holds (or may refund) is refused */
};

typedef struct
{
  Entry       entry;
  FieldId     id;
  const char *field;      /* the label the window shows, or the file's column */
  const char *prefix;     /* what a refusal starts with, before ':' */
  FieldType   type;
  guint       extra;
} Target;

static const Target targets[] = {
  { E_CUSTOMER_EDITOR, F_CODE, "Code", "Code", T_CODE, 0 },
  { E_CUSTOMER_EDITOR, F_NAME, "Name", "Name", T_TEXT, X_REQUIRED },
  { E_CUSTOMER_EDITOR, F_COMPANY, "Company", "Company", T_TEXT, 0 },
  { E_CUSTOMER_EDITOR, F_PHONE, "Phone", "Phone", T_PHONE, 0 },
  { E_CUSTOMER_EDITOR, F_EMAIL, "Email", "Email", T_EMAIL, 0 },
  { E_CUSTOMER_EDITOR, F_ADDRESS, "Address", "Address", T_MULTILINE, 0 },
  { E_CUSTOMER_EDITOR, F_TAX_ID, "Tax ID", "Tax ID", T_TEXT, 0 },
  { E_CUSTOMER_EDITOR, F_TAGS, "Tags", "Tags", T_TEXT, 0 },
  { E_CUSTOMER_EDITOR, F_NOTES, "Notes", "Notes", T_MULTILINE, 0 },
  { E_CUSTOMER_EDITOR, F_CREDIT_LIMIT, "Credit limit", "Credit limit", T_MONEY, 0 },
  { E_CUSTOMER_EDITOR, F_TERMS, "Payment terms", "Payment terms", T_DAYS, 0 },
  { E_CUSTOMER_EDITOR, F_CUSTOM, "WeChat ID (custom field)", "WeChat ID", T_TEXT, 0 },

  { E_INTERACTION, F_DATE, "Date", "Date", T_DATE, X_REQUIRED },
  { E_INTERACTION, F_FOLLOW_UP, "Follow-up date", "Follow-up date", T_DATE, X_BEFORE },
  { E_INTERACTION, F_SUMMARY, "Summary", "Summary", T_MULTILINE, 0 },
  { E_INTERACTION, F_OUTCOME, "Outcome", "Outcome", T_MULTILINE, 0 },

  { E_BUSINESS, F_BUSINESS_NAME, "Business name", "Business name", T_TEXT, 0 },
  { E_BUSINESS, F_BUSINESS_ADDRESS, "Address", "Address", T_MULTILINE, 0 },
  { E_BUSINESS, F_BUSINESS_PHONE, "Phone", "Phone", T_PHONE, 0 },
  { E_BUSINESS, F_BUSINESS_TAX_ID, "Tax ID", "Tax ID", T_TEXT, 0 },

  { E_PREFERENCES, F_THRESHOLD, "Class A threshold", "Class A threshold", T_MONEY, 0 },
  { E_PREFERENCES, F_FIELD_NAME, "Custom field name", "Field name", T_TEXT, X_REQUIRED },
  { E_PREFERENCES, F_PATTERN, "Number pattern", "Number pattern", T_PATTERN, 0 },
  { E_PREFERENCES, F_METHOD_NAME, "Name of a payment method (Alipay)", "Name of Alipay", T_TEXT, 0 },

  { E_BILL_EDITOR, F_ISSUED_ON, "Issued on", "Issued on", T_DATE, X_REQUIRED },
  { E_BILL_EDITOR, F_DUE_ON, "Due on", "Due on", T_DATE, X_BEFORE },
  { E_BILL_EDITOR, F_BILL_NOTES, "Notes", "Notes", T_MULTILINE, 0 },
  { E_BILL_EDITOR, F_DESCRIPTION, "Line description", "Line 1, description", T_MULTILINE, 0 },
  { E_BILL_EDITOR, F_QUANTITY, "Line quantity", "Line 1, quantity", T_QUANTITY, 0 },
  { E_BILL_EDITOR, F_UNIT_PRICE, "Line unit price", "Line 1, unit price", T_MONEY, 0 },
  { E_BILL_EDITOR, F_DISCOUNT, "Line discount", "Line 1, discount", T_RATE, X_OVER_100 },
  { E_BILL_EDITOR, F_TAX, "Line tax", "Line 1, tax", T_RATE, X_OVER_1000 },

  { E_VOID, F_VOID_REASON, "Reason", "Reason", T_MULTILINE, X_REQUIRED },

  { E_PAYMENT, F_AMOUNT, "Amount", "Amount", T_MONEY, X_REQUIRED | X_ZERO },
  { E_PAYMENT, F_RECEIVED_ON, "Received on", "Received on", T_DATE, X_REQUIRED },
  { E_PAYMENT, F_REFERENCE, "Reference", "Reference", T_TEXT, 0 },
  { E_PAYMENT, F_PAYMENT_NOTE, "Note", "Note", T_MULTILINE, 0 },
  { E_PAYMENT, F_SHARE, "Share of a bill", "Bill INV-2026-0001", T_MONEY, X_OVER_OPEN },

  { E_REFUND, F_REFUND_REASON, "Reason", "Reason", T_MULTILINE, X_REQUIRED },

  { E_PREPAID_CARD, F_CARD_NAME, "Card name", "Name", T_TEXT, X_REQUIRED },
  { E_PREPAID_CARD, F_CARD_EXPIRES, "Expires on (fixed day)", "Expires on", T_DATE, X_REQUIRED },
  { E_PREPAID_CARD, F_CARD_MONTHS, "Months (from each top-up)", "Months", T_DAYS, 0 },
  { E_PREPAID_CARD, F_CARD_POLICY, "Refund policy", "Refund policy", T_MULTILINE, 0 },
  { E_PREPAID_CARD, F_CARD_LOW, "Low-balance mark", "Low-balance mark", T_MONEY, 0 },
  { E_PREPAID_CARD, F_CARD_BONUS_AT, "Bonus: for each top-up of", "Bonus", T_MONEY, 0 },
  { E_PREPAID_CARD, F_CARD_BONUS, "Bonus: amount", "Bonus", T_MONEY, 0 },

  { E_PREPAID_TOPUP, F_PP_AMOUNT, "Amount", "Amount", T_MONEY, X_REQUIRED | X_ZERO },
  { E_PREPAID_TOPUP, F_PP_DATE, "Date", "Date", T_DATE, 0 },
  { E_PREPAID_TOPUP, F_PP_NOTE, "Note", "Note", T_MULTILINE, 0 },
  { E_PREPAID_CHARGE, F_PP_AMOUNT, "Amount", "Amount", T_MONEY, X_REQUIRED | X_ZERO | X_OVER_BALANCE },
  { E_PREPAID_CHARGE, F_PP_NOTE, "Note", "Note", T_MULTILINE, 0 },
  { E_PREPAID_REFUND, F_PP_AMOUNT, "Amount", "Amount", T_MONEY, X_REQUIRED | X_ZERO | X_OVER_BALANCE },
  { E_PREPAID_ADJUST, F_PP_NOTE, "Reason", "Reason", T_MULTILINE, X_REQUIRED },

  { E_RECURRING, F_RC_DESCRIPTION, "Description", "Description", T_TEXT, X_REQUIRED },
  { E_RECURRING, F_RC_AMOUNT, "Amount", "Amount", T_MONEY, X_REQUIRED | X_ZERO },
  { E_RECURRING, F_RC_START, "Starts on", "Starts on", T_DATE, X_REQUIRED },
  { E_RECURRING, F_RC_END, "Ends on", "Ends on", T_DATE, X_BEFORE },

  { E_CUSTOMERS_CSV, F_CSV, "code", "code", T_CODE, 0 },
  { E_CUSTOMERS_CSV, F_CSV, "name", "name", T_TEXT, X_REQUIRED },
  { E_CUSTOMERS_CSV, F_CSV, "phone", "phone", T_PHONE, 0 },
  { E_CUSTOMERS_CSV, F_CSV, "email", "email", T_EMAIL, 0 },
  { E_CUSTOMERS_CSV, F_CSV, "address", "address", T_MULTILINE, 0 },
  { E_CUSTOMERS_CSV, F_CSV, "notes", "notes", T_MULTILINE, 0 },
  { E_CUSTOMERS_CSV, F_CSV, "credit_limit", "credit_limit", T_MONEY, 0 },
  { E_CUSTOMERS_CSV, F_CSV, "payment_terms_days", "payment_terms_days", T_DAYS, 0 },

  { E_INVOICES_CSV, F_CSV, "number", "number", T_TEXT, X_REQUIRED },
  { E_INVOICES_CSV, F_CSV, "customer_code", "customer_code", T_LOOKUP, X_REQUIRED },
  { E_INVOICES_CSV, F_CSV, "issued_on", "issued_on", T_DATE, X_REQUIRED },
  { E_INVOICES_CSV, F_CSV, "due_on", "due_on", T_DATE, X_BEFORE },
  { E_INVOICES_CSV, F_CSV, "description", "description", T_MULTILINE, 0 },
  { E_INVOICES_CSV, F_CSV, "quantity", "quantity", T_QUANTITY, 0 },
  { E_INVOICES_CSV, F_CSV, "unit_price", "unit_price", T_MONEY, 0 },
  { E_INVOICES_CSV, F_CSV, "tax_rate_percent", "tax_rate_percent", T_RATE, X_OVER_1000 },
  { E_INVOICES_CSV, F_CSV, "discount_percent", "discount_percent", T_RATE, X_OVER_100 },

  { E_PAYMENTS_CSV, F_CSV, "customer_code", "customer_code", T_LOOKUP, X_REQUIRED },
  { E_PAYMENTS_CSV, F_CSV, "invoice_number", "invoice_number", T_LOOKUP, 0 },
  { E_PAYMENTS_CSV, F_CSV, "received_on", "received_on", T_DATE, X_REQUIRED },
  { E_PAYMENTS_CSV, F_CSV, "amount", "amount", T_MONEY, X_REQUIRED | X_ZERO | X_OVER_OPEN },
  { E_PAYMENTS_CSV, F_CSV, "reference", "reference", T_TEXT, 0 },

  { E_PREPAID_CSV, F_CSV, "customer_code", "customer_code", T_LOOKUP, X_REQUIRED },
  { E_PREPAID_CSV, F_CSV, "account", "account", T_TEXT, X_REQUIRED },
  { E_PREPAID_CSV, F_CSV, "date", "date", T_DATE, X_REQUIRED },
  { E_PREPAID_CSV, F_CSV, "amount", "amount", T_MONEY, X_REQUIRED | X_ZERO },
  { E_PREPAID_CSV, F_CSV, "note", "note", T_MULTILINE, 0 },
};

static gboolean
is_file (const Target *t)
{
  return t->entry == E_CUSTOMERS_CSV || t->entry == E_INVOICES_CSV || t->entry == E_PAYMENTS_CSV ||
         t->entry == E_PREPAID_CSV;
}

/* ------------------------------------------------------------------ */
/* Known gaps in core and expected twists                              */

/* What a check found wrong. A gap excuses only the kinds it names. */
typedef enum
{
  P_NOT_REFUSED  = 1 << 0,   /* a bad value was taken */
  P_REFUSED      = 1 << 1,   /* a good value was refused */
  P_NO_FIELD     = 1 << 2,   /* the message does not name the field (line, column) */
  P_MESSAGE      = 1 << 3,   /* the message is not valid UTF-8, or far too long */
  P_WRITTEN      = 1 << 4,   /* a refusal changed the book */
  P_READ_BACK    = 1 << 5,   /* what was stored is not what was given */
  P_DAMAGED      = 1 << 6,   /* a table went missing or lost rows */
} ProblemKind;

typedef struct
{
  Entry        entry;
  const char  *field;      /* Target.field; NULL for every field of the entry */
  ValueId      value;
  guint        kinds;      /* ProblemKind */
  const char  *why;
} Gap;

#define DATE_NOT_UTF8 \
  "the message quotes the bytes as typed, so it is not valid UTF-8 either (bb_date_parse)"
#define DATE_10MB "the message quotes all 10 MB of the date as typed (bb_date_parse)"

/* None at the moment; the empty entry (no why) keeps the array legal C. */
static const Gap gaps[] = {
  { .why = NULL },
};

/* Twists that are right, not gaps: another message prefix, another
 * stored form. */
typedef struct
{
  Entry        entry;
  const char  *field;
  ValueId      value;
  const char  *prefix;     /* NULL: the target's */
  const char  *stored;     /* NULL: the input as given */
  Expect       expect;     /* 0: as the kind of field says */
  const char  *note;       /* for the table */
} Twist;

static const Twist twists[] = {
  /* Tags are split at commas and semicolons and trimmed. */
  { E_CUSTOMER_EDITOR, "Tags", V_SQL_DROP, NULL, "',DROP TABLE customers,--", 0, "split into tags" },
  { E_CUSTOMER_EDITOR, "Tags", V_SQL_DELETE, NULL, "Robert'),DELETE FROM invoices,--", 0, "split into tags" },
  /* The rate parses; the line's check says so. */
  { E_BILL_EDITOR, "Line tax", V_OVER_1000, "Line 1: Tax", NULL },
  /* The share parses; the allocation's check says so. */
  { E_PAYMENT, "Share of a bill", V_OVER_OPEN, "Allocation 1, amount", NULL },
  /* Zero-width spaces in amounts are dropped. */
  { E_CUSTOMER_EDITOR, "Credit limit", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PREFERENCES, "Class A threshold", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_BILL_EDITOR, "Line unit price", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PAYMENT, "Amount", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PAYMENT, "Share of a bill", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_CUSTOMERS_CSV, "credit_limit", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_INVOICES_CSV, "unit_price", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PAYMENTS_CSV, "amount", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PREPAID_CARD, "Low-balance mark", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PREPAID_CARD, "Bonus: for each top-up of", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PREPAID_CARD, "Bonus: amount", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PREPAID_TOPUP, "Amount", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PREPAID_CHARGE, "Amount", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PREPAID_REFUND, "Amount", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_RECURRING, "Amount", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  { E_PREPAID_CSV, "amount", V_ZWSP_AMOUNT, NULL, "100.00", 0, "the zero-width space is dropped" },
  /* In a bills file a negative line makes a return: a bill whose total
   * is negative is imported as a credit note (bb_invoices_import_csv). */
  { E_INVOICES_CSV, "quantity", V_NEGATIVE, NULL, "-5", ACCEPTED, "imported as a credit note" },
  { E_INVOICES_CSV, "unit_price", V_NEGATIVE, NULL, "-5.00", ACCEPTED, "imported as a credit note" },
};

/* ------------------------------------------------------------------ */
/* Cases                                                               */

typedef struct
{
  const Target *target;
  ValueId       value;
  Expect        expect;
  const char   *prefix;
  const char   *stored;
  const char   *note;
  const Gap    *gap;
  char         *path;
} Case;

static GPtrArray *cases;

static void
add_case (const Target *t,
          ValueId       value,
          Expect        expect)
{
  Case *c = g_new0 (Case, 1);
  g_autofree char *field_slug = NULL;

  c->target = t;
  c->value = value;
  c->expect = expect;
  c->prefix = t->prefix;

  for (guint i = 0; i < G_N_ELEMENTS (twists); i++)
    if (twists[i].entry == t->entry && g_str_equal (twists[i].field, t->field) &&
        twists[i].value == value)
      {
        if (twists[i].prefix)
          c->prefix = twists[i].prefix;
        c->stored = twists[i].stored;
        c->note = twists[i].note;
        if (twists[i].expect != 0)
          c->expect = twists[i].expect;
      }

  for (guint i = 0; i < G_N_ELEMENTS (gaps); i++)
    if (gaps[i].why != NULL && gaps[i].entry == t->entry && gaps[i].value == value &&
        (gaps[i].field == NULL || g_str_equal (gaps[i].field, t->field)))
      c->gap = &gaps[i];

  field_slug = g_ascii_strdown (t->field, -1);
  g_strcanon (field_slug, "abcdefghijklmnopqrstuvwxyz0123456789", '-');
  c->path = g_strdup_printf ("/bad-input/%s/%s/%s",
                             entry_slugs[t->entry], field_slug, values[value].slug);

  g_ptr_array_add (cases, c);
}

static void
build_cases (void)
{
  cases = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      const Target *t = &targets[i];
      const TypeRules *rules = &type_rules[t->type];

      if (t->extra & X_REQUIRED)
        add_case (t, V_EMPTY, REFUSED);
      if (t->extra & X_ZERO)
        add_case (t, V_ZERO, REFUSED);
      if (t->extra & X_BEFORE)
        add_case (t, V_BEFORE, REFUSED);
      if (t->extra & X_OVER_OPEN)
        add_case (t, V_OVER_OPEN, REFUSED);
      if (t->extra & X_OVER_BALANCE)
        add_case (t, V_OVER_BALANCE, REFUSED);
      if (t->extra & X_OVER_100)
        add_case (t, V_OVER_100, REFUSED);
      if (t->extra & X_OVER_1000)
        add_case (t, V_OVER_1000, REFUSED);

      for (guint j = 0; j < rules->n_tries; j++)
        add_case (t, rules->tries[j].value, rules->tries[j].expect);
    }
}

/* ------------------------------------------------------------------ */
/* The books                                                           */

/* What the template books hold (the same ids in both). */
static struct
{
  char   *dir;
  char   *cny_path;
  char   *jpy_path;
  gint64  customer_id;     /* C000001, Zhang San */
  gint64  bill_id;         /* INV-2026-0001: 200, of which 30 paid */
  gint64  void_bill_id;    /* INV-2026-0002: 100, unpaid */
  gint64  payment_id;      /* 30 on INV-2026-0001 */
  gint64  last_payment_id;
  gint64  card_id;         /* Zhang San's "会员卡": 500 topped up, no bonus */
  gint64  last_entry_id;
} books;

#define CUSTOM_FIELD "WeChat ID"

typedef struct
{
  char           *dir;
  BbDb           *db;
  gint64          new_id;     /* the record a stored case wrote */
  BbImportReport *report;
} Book;

static void
set_str (char       **slot,
         const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static gint64
query_int (BbDb       *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_bb_db_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static gint64
issue_bill (BbDb     *db,
            gint64    customer_id,
            BbMoney   price)
{
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  g_autoptr(GError) error = NULL;

  inv->customer_id = customer_id;
  g_free (inv->issued_on);
  inv->issued_on = g_strdup ("2026-03-01");
  g_free (inv->currency);
  inv->currency = g_strdup (bb_business_get_currency (db)->code);
  bb_invoice_add_line (inv, "Tea", BB_QUANTITY_ONE, price, 0, 0);

  bb_invoices_save_draft (db, inv, &error);
  g_assert_no_error (error);
  bb_invoices_submit (db, inv->id, &error);
  g_assert_no_error (error);
  bb_invoices_issue (db, inv->id, &error);
  g_assert_no_error (error);

  return inv->id;
}

static void
make_template (const char *path,
               const char *currency)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbDb) db = bb_db_open (path, &error);
  g_autoptr(BbBusiness) business = NULL;
  g_autoptr(BbCustomer) zhang = bb_customer_new ();
  g_autoptr(BbCustomer) li = bb_customer_new ();
  g_autoptr(BbPayment) payment = bb_payment_new ();
  g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
  g_autoptr(BbInvoice) bill = NULL;
  g_autoptr(BbPrepaidAccount) card = NULL;
  BbMoney unit;
  gint64 id = 0;

  g_assert_no_error (error);

  business = bb_business_load (db);
  g_free (business->name);
  business->name = g_strdup ("Test Shop");
  g_free (business->currency);
  business->currency = g_strdup (currency);
  g_assert_true (bb_business_save (db, business, &error));
  g_assert_no_error (error);
  unit = 1;
  for (guint i = 0; i < bb_business_get_currency (db)->digits; i++)
    unit *= 10;

  g_assert_true (bb_customer_fields_add (db, CUSTOM_FIELD, &error));
  g_assert_no_error (error);

  g_free (zhang->name);
  zhang->name = g_strdup ("Zhang San");
  set_str (&zhang->address, "上海市南京东路100号");
  set_str (&zhang->phone, "138 0013 8000");
  g_assert_true (bb_customers_save (db, zhang, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (zhang->code, ==, "C000001");
  g_free (li->name);
  li->name = g_strdup ("李四");
  g_assert_true (bb_customers_save (db, li, &error));
  g_assert_no_error (error);

  books.customer_id = zhang->id;
  books.bill_id = issue_bill (db, zhang->id, 200 * unit);
  books.void_bill_id = issue_bill (db, zhang->id, 100 * unit);
  bill = bb_invoices_get (db, books.bill_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bill->number, ==, "INV-2026-0001");

  payment->customer_id = zhang->id;
  g_free (payment->received_on);
  payment->received_on = g_strdup ("2026-03-05");
  payment->amount = 30 * unit;
  payment->method = BB_PAYMENT_CASH;
  g_ptr_array_add (allocations, bb_allocation_new (books.bill_id, 30 * unit));
  g_assert_true (bb_payments_record (db, payment, allocations, &id, &error));
  g_assert_no_error (error);
  books.payment_id = id;
  books.last_payment_id = id;

  card = bb_prepaid_account_new ();
  card->customer_id = zhang->id;
  set_str (&card->name, "会员卡");
  g_assert_true (bb_prepaid_save_account (db, card, &error));
  g_assert_no_error (error);
  books.card_id = card->id;
  g_assert_true (bb_prepaid_top_up (db, card->id, "2026-03-02", 500 * unit, BB_PAYMENT_CASH, NULL,
                                    &books.last_entry_id, &error));
  g_assert_no_error (error);
}

static void
make_templates (void)
{
  g_autoptr(GError) error = NULL;

  books.dir = g_dir_make_tmp ("billbook-bad-input-XXXXXX", &error);
  g_assert_no_error (error);
  books.cny_path = g_build_filename (books.dir, "cny.db", NULL);
  books.jpy_path = g_build_filename (books.dir, "jpy.db", NULL);
  make_template (books.cny_path, "CNY");
  make_template (books.jpy_path, "JPY");
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
book_open (Book     *book,
           gboolean  jpy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (jpy ? books.jpy_path : books.cny_path);
  g_autoptr(GFile) to = NULL;
  g_autofree char *path = NULL;

  memset (book, 0, sizeof *book);
  book->dir = g_dir_make_tmp ("billbook-bad-input-case-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (book->dir, "book.db", NULL);
  to = g_file_new_for_path (path);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_chmod (path, 0600);

  book->db = bb_db_open (path, &error);
  g_assert_no_error (error);
}

static void
book_close (Book *book)
{
  g_clear_object (&book->db);
  g_clear_pointer (&book->report, bb_import_report_free);
  remove_tree (book->dir);
  g_clear_pointer (&book->dir, g_free);
}

/* ------------------------------------------------------------------ */
/* The state of a book                                                 */

/* A SHA-256 over every table: its name, then every row in rowid order
 * (primary key order for tables without rowid), each value with its
 * type. */
static char *
book_checksum (BbDb *db)
{
  sqlite3 *handle = _bb_db_get_handle (db);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < tables->len; i++)
    {
      const char *name = g_ptr_array_index (tables, i);
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY rowid", name);
      int n_columns;

      g_assert_null (strchr (name, '"'));
      g_checksum_update (sum, (const guchar *) name, -1);
      g_checksum_update (sum, (const guchar *) "", 1);

      if (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          /* WITHOUT ROWID: every column, in order, sorts the rows. */
          GString *order = g_string_new (NULL);

          g_free (sql);
          sql = g_strdup_printf ("SELECT * FROM \"%s\"", name);
          g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
          n_columns = sqlite3_column_count (stmt);
          sqlite3_finalize (stmt);
          for (int col = 1; col <= n_columns; col++)
            g_string_append_printf (order, "%s%d", col > 1 ? ", " : "", col);
          g_free (sql);
          sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY %s", name, order->str);
          g_string_free (order, TRUE);
          g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
        }

      n_columns = sqlite3_column_count (stmt);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int col = 0; col < n_columns; col++)
          {
            guchar type = (guchar) sqlite3_column_type (stmt, col);
            const void *bytes = sqlite3_column_blob (stmt, col);
            gsize n = (gsize) sqlite3_column_bytes (stmt, col);
            guint32 len = (guint32) n;

            g_checksum_update (sum, &type, 1);
            g_checksum_update (sum, (const guchar *) &len, sizeof len);
            if (n > 0)
              g_checksum_update (sum, bytes, n);
          }
      sqlite3_finalize (stmt);
    }

  return g_strdup (g_checksum_get_string (sum));
}

/* Every table's name and row count: "customers 3\ninvoices 2\n…". */
static GHashTable *
table_counts (BbDb *db)
{
  sqlite3 *handle = _bb_db_get_handle (db);
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT name FROM sqlite_master WHERE type = 'table'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < tables->len; i++)
    {
      const char *name = g_ptr_array_index (tables, i);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", name);

      g_hash_table_insert (counts, g_strdup (name), GINT_TO_POINTER ((int) query_int (db, sql)));
    }

  return counts;
}

/* ------------------------------------------------------------------ */
/* Running a case as the window does                                   */

static const BbCurrency *
book_currency (Book *book)
{
  return bb_business_get_currency (book->db);
}

/* The customer editor's Save: the form as a record, the credit limit
 * parsed from its row, then bb_customers_save(). */
static gboolean
run_customer_editor (Book          *book,
                     const Target  *t,
                     const char    *v,
                     GError       **error)
{
  g_autoptr(BbCustomer) c = bb_customer_new ();
  g_autofree char *credit = NULL;

  set_str (&c->name, "Wang Wu");
  set_str (&c->phone, "139 0000 1111");
  set_str (&c->email, "wang@example.com");
  set_str (&c->address, "1 Main Street");
  set_str (&c->notes, "Pays in cash");
  credit = g_strdup ("");

  switch (t->id)
    {
    case F_CODE: set_str (&c->code, v); break;
    case F_NAME: set_str (&c->name, v); break;
    case F_COMPANY: set_str (&c->company, v); break;
    case F_PHONE: set_str (&c->phone, v); break;
    case F_EMAIL: set_str (&c->email, v); break;
    case F_ADDRESS: set_str (&c->address, v); break;
    case F_TAX_ID: set_str (&c->tax_id, v); break;
    case F_TAGS: set_str (&c->tags, v); break;
    case F_NOTES: set_str (&c->notes, v); break;
    case F_CREDIT_LIMIT: set_str (&credit, v); break;
    /* A spin button: what reaches the record is a number. */
    case F_TERMS: c->payment_terms_days = atoi (v); break;
    case F_CUSTOM:
      g_hash_table_insert (c->custom_fields, g_strdup (CUSTOM_FIELD), g_strdup (v));
      break;
    default:
      g_assert_not_reached ();
    }

  g_strstrip (credit);
  if (*credit != '\0' &&
      !bb_money_parse (credit, book_currency (book), "Credit limit", FALSE, &c->credit_limit, error))
    return FALSE;

  if (!bb_customers_save (book->db, c, error))
    return FALSE;

  book->new_id = c->id;
  return TRUE;
}

static char *
read_customer (Book         *book,
               const Target *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCustomer) c = bb_customers_get (book->db, book->new_id, &error);

  g_assert_no_error (error);

  switch (t->id)
    {
    case F_CODE: return g_strdup (c->code);
    case F_NAME: return g_strdup (c->name);
    case F_COMPANY: return g_strdup (c->company);
    case F_PHONE: return g_strdup (c->phone);
    case F_EMAIL: return g_strdup (c->email);
    case F_ADDRESS: return g_strdup (c->address);
    case F_TAX_ID: return g_strdup (c->tax_id);
    case F_TAGS: return g_strdup (c->tags);
    case F_NOTES: return g_strdup (c->notes);
    case F_CREDIT_LIMIT: return bb_money_format_plain (c->credit_limit, book_currency (book));
    case F_TERMS: return g_strdup_printf ("%d", c->payment_terms_days);
    case F_CUSTOM: return g_strdup (g_hash_table_lookup (c->custom_fields, CUSTOM_FIELD));
    default: g_assert_not_reached ();
    }
}

/* The interaction dialog: the date as typed, the follow-up date trimmed
 * (none when empty). */
static gboolean
run_interaction (Book          *book,
                 const Target  *t,
                 const char    *v,
                 GError       **error)
{
  BbInteraction interaction = { 0 };
  g_autofree char *follow_up = NULL;

  interaction.customer_id = books.customer_id;
  interaction.occurred_on = (char *) "2026-03-01";
  interaction.channel = (char *) "phone";
  interaction.kind = (char *) "follow_up";
  interaction.summary = (char *) "Asked about the tea";
  interaction.outcome = (char *) "Will call back";
  follow_up = g_strdup ("2026-03-08");

  switch (t->id)
    {
    case F_DATE: interaction.occurred_on = (char *) v; break;
    case F_FOLLOW_UP: set_str (&follow_up, v); break;
    case F_SUMMARY: interaction.summary = (char *) v; break;
    case F_OUTCOME: interaction.outcome = (char *) v; break;
    default: g_assert_not_reached ();
    }

  g_strstrip (follow_up);
  interaction.follow_up_on = *follow_up ? follow_up : NULL;

  if (!bb_interactions_add (book->db, &interaction, error))
    return FALSE;

  book->new_id = interaction.id;
  return TRUE;
}

static char *
read_interaction (Book         *book,
                  const Target *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = bb_interactions_list (book->db, books.customer_id, &error);

  g_assert_no_error (error);

  for (guint i = 0; i < list->len; i++)
    {
      BbInteraction *interaction = g_ptr_array_index (list, i);

      if (interaction->id != book->new_id)
        continue;

      switch (t->id)
        {
        case F_SUMMARY: return g_strdup (interaction->summary);
        case F_OUTCOME: return g_strdup (interaction->outcome);
        case F_DATE: return g_strdup (interaction->occurred_on);
        case F_FOLLOW_UP: return g_strdup (interaction->follow_up_on);
        default: g_assert_not_reached ();
        }
    }

  return NULL;
}

/* Preferences, Business: every row as typed, then bb_business_save(). */
static gboolean
run_business (Book          *book,
              const Target  *t,
              const char    *v,
              GError       **error)
{
  g_autoptr(BbBusiness) business = bb_business_load (book->db);

  switch (t->id)
    {
    case F_BUSINESS_NAME: set_str (&business->name, v); break;
    case F_BUSINESS_ADDRESS: set_str (&business->address, v); break;
    case F_BUSINESS_PHONE: set_str (&business->phone, v); break;
    case F_BUSINESS_TAX_ID: set_str (&business->tax_id, v); break;
    default: g_assert_not_reached ();
    }

  return bb_business_save (book->db, business, error);
}

static char *
read_business (Book         *book,
               const Target *t)
{
  g_autoptr(BbBusiness) business = bb_business_load (book->db);

  switch (t->id)
    {
    case F_BUSINESS_NAME: return g_strdup (business->name);
    case F_BUSINESS_ADDRESS: return g_strdup (business->address);
    case F_BUSINESS_PHONE: return g_strdup (business->phone);
    case F_BUSINESS_TAX_ID: return g_strdup (business->tax_id);
    default: g_assert_not_reached ();
    }
}

/* Preferences: the class A threshold (parsed, then kept as a setting), a
 * custom field's name, the pattern of bill numbers. A pattern is tried as
 * VALUE-{seq} so that it is refused for VALUE, not for a missing {seq}. */
static gboolean
run_preferences (Book          *book,
                 const Target  *t,
                 const char    *v,
                 GError       **error)
{
  switch (t->id)
    {
    case F_THRESHOLD:
      {
        g_autofree char *stored = NULL;
        BbMoney threshold;

        if (!bb_money_parse (v, book_currency (book), "Class A threshold", FALSE, &threshold, error))
          return FALSE;
        stored = g_strdup_printf ("%" G_GINT64_FORMAT, threshold);
        return bb_db_set_setting (book->db, "customers.class_a_threshold", stored, error);
      }

    case F_FIELD_NAME:
      return bb_customer_fields_add (book->db, v, error);

    case F_PATTERN:
      {
        g_autofree char *pattern = g_strconcat (v, "-{seq}", NULL);

        return bb_invoices_set_pattern (book->db, pattern, error);
      }

    case F_METHOD_NAME:
      return bb_payment_methods_set (book->db, BB_PAYMENT_ALIPAY, v, TRUE, error);

    default:
      g_assert_not_reached ();
    }
}

static char *
read_preferences (Book         *book,
                  const Target *t)
{
  switch (t->id)
    {
    case F_THRESHOLD:
      return bb_money_format_plain (bb_customers_get_class_a_threshold (book->db), book_currency (book));

    case F_FIELD_NAME:
      {
        g_auto(GStrv) names = bb_customer_fields_list (book->db);
        guint n = g_strv_length (names);

        return n > 0 ? g_strdup (names[n - 1]) : NULL;
      }

    case F_PATTERN:
      {
        g_autofree char *pattern = bb_invoices_get_pattern (book->db);

        if (!g_str_has_suffix (pattern, "-{seq}"))
          return g_steal_pointer (&pattern);
        return g_strndup (pattern, strlen (pattern) - strlen ("-{seq}"));
      }

    case F_METHOD_NAME:
      return bb_payment_methods_get_name (book->db, BB_PAYMENT_ALIPAY);

    default:
      g_assert_not_reached ();
    }
}

/* The bill editor's Save, as form_to_invoice() builds the record: dates
 * trimmed, the line's quantity, price and rates parsed with the line
 * named, then bb_invoices_save_draft(). */
static gboolean
run_bill_editor (Book          *book,
                 const Target  *t,
                 const char    *v,
                 GError       **error)
{
  g_autoptr(BbInvoice) inv = bb_invoice_new ();
  const char *issued = "2026-03-01", *due = "", *notes = "";
  const char *desc = "Tea", *qty_text = "2", *price_text = "10.00", *disc_text = "", *tax_text = "13";
  BbQuantity qty = BB_QUANTITY_ONE;
  BbMoney price = 0;
  BbRate disc = 0, tax = 0;

  switch (t->id)
    {
    case F_ISSUED_ON: issued = v; break;
    case F_DUE_ON: due = v; break;
    case F_BILL_NOTES: notes = v; break;
    case F_DESCRIPTION: desc = v; break;
    case F_QUANTITY: qty_text = v; break;
    case F_UNIT_PRICE: price_text = v; break;
    case F_DISCOUNT: disc_text = v; break;
    case F_TAX: tax_text = v; break;
    default: g_assert_not_reached ();
    }

  inv->customer_id = books.customer_id;
  inv->kind = BB_INVOICE_KIND_INVOICE;
  set_str (&inv->issued_on, issued);
  g_strstrip (inv->issued_on);
  set_str (&inv->due_on, due);
  g_strstrip (inv->due_on);
  set_str (&inv->notes, notes);
  set_str (&inv->currency, book_currency (book)->code);

  if ((*qty_text && !bb_quantity_parse (qty_text, "Line 1, quantity", FALSE, &qty, error)) ||
      !bb_money_parse (*price_text ? price_text : "0", book_currency (book), "Line 1, unit price",
                       TRUE, &price, error) ||
      (*disc_text && !bb_rate_parse (disc_text, "Line 1, discount", TRUE, &disc, error)) ||
      (*tax_text && !bb_rate_parse (tax_text, "Line 1, tax", FALSE, &tax, error)))
    return FALSE;

  bb_invoice_add_line (inv, desc, qty, price, disc, tax);

  if (!bb_invoices_save_draft (book->db, inv, error))
    return FALSE;

  book->new_id = inv->id;
  return TRUE;
}

static char *
read_bill (Book         *book,
           const Target *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbInvoice) inv = bb_invoices_get (book->db, t->id == F_VOID_REASON ? books.void_bill_id : book->new_id,
                                              &error);
  BbInvoiceLine *line;

  g_assert_no_error (error);
  line = inv->lines->len > 0 ? g_ptr_array_index (inv->lines, 0) : NULL;

  switch (t->id)
    {
    case F_ISSUED_ON: return g_strdup (inv->issued_on);
    case F_DUE_ON: return g_strdup (inv->due_on);
    case F_BILL_NOTES: return g_strdup (inv->notes);
    case F_DESCRIPTION: return g_strdup (line->description);
    case F_QUANTITY: return bb_quantity_format (line->quantity);
    case F_UNIT_PRICE: return bb_money_format_plain (line->unit_price, book_currency (book));
    case F_DISCOUNT: return bb_rate_format (line->discount);
    case F_TAX: return bb_rate_format (line->tax_rate);
    case F_VOID_REASON: return g_strdup (inv->void_reason);
    default: g_assert_not_reached ();
    }
}

/* The payment dialog's Record: the amount and the share of each bill
 * parsed, the other rows trimmed, then bb_payments_record(). */
static gboolean
run_payment (Book          *book,
             const Target  *t,
             const char    *v,
             GError       **error)
{
  g_autoptr(BbPayment) payment = bb_payment_new ();
  g_autoptr(GPtrArray) allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
  const char *amount = "100.00", *date = "2026-03-10", *reference = "WX-0001", *note = "", *share = "";
  gint64 id = 0;

  switch (t->id)
    {
    case F_AMOUNT: amount = v; break;
    case F_RECEIVED_ON: date = v; break;
    case F_REFERENCE: reference = v; break;
    case F_PAYMENT_NOTE: note = v; break;
    case F_SHARE: share = v; break;
    default: g_assert_not_reached ();
    }

  payment->customer_id = books.customer_id;
  if (!bb_money_parse (amount, book_currency (book), "Amount", FALSE, &payment->amount, error))
    return FALSE;

  if (*share != '\0')
    {
      BbMoney value;

      if (!bb_money_parse (share, book_currency (book), "Bill INV-2026-0001", FALSE, &value, error))
        return FALSE;
      if (value > 0)
        g_ptr_array_add (allocations, bb_allocation_new (books.bill_id, value));
    }

  g_free (payment->received_on);
  payment->received_on = bb_text_strip (date);
  payment->method = BB_PAYMENT_WECHAT_PAY;
  g_free (payment->reference);
  payment->reference = bb_text_strip (reference);
  g_free (payment->note);
  payment->note = bb_text_strip (note);

  if (!bb_payments_record (book->db, payment, allocations, &id, error))
    return FALSE;

  book->new_id = id;
  return TRUE;
}

static char *
read_payment (Book         *book,
              const Target *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPayment) payment = NULL;

  if (t->id == F_REFUND_REASON)
    {
      g_autoptr(BbPayment) paid = bb_payments_get (book->db, books.payment_id, &error);

      g_assert_no_error (error);
      payment = bb_payments_get (book->db, paid->reversed_by_id, &error);
      g_assert_no_error (error);
      return g_strdup (payment->note);
    }

  payment = bb_payments_get (book->db, book->new_id, &error);
  g_assert_no_error (error);

  switch (t->id)
    {
    case F_AMOUNT: return bb_money_format_plain (payment->amount, book_currency (book));
    case F_RECEIVED_ON: return g_strdup (payment->received_on);
    case F_REFERENCE: return g_strdup (payment->reference);
    case F_PAYMENT_NOTE: return g_strdup (payment->note);
    case F_SHARE: return bb_money_format_plain (payment->allocated, book_currency (book));
    default: g_assert_not_reached ();
    }
}


/* ------------------------------------------------------------------ */
/* Prepaid cards and recurring charges, as their dialogs call core     */

static gboolean
run_prepaid_card (Book          *book,
                  const Target  *t,
                  const char    *v,
                  GError       **error)
{
  g_autoptr(BbPrepaidAccount) card = bb_prepaid_account_new ();

  card->customer_id = books.customer_id;
  set_str (&card->name, "储值卡 Car wash");
  card->points_unit = 100;

  switch (t->id)
    {
    case F_CARD_NAME:
      g_free (card->name);
      card->name = g_strdup (v);
      break;
    case F_CARD_EXPIRES:
      card->validity = BB_PREPAID_VALIDITY_FIXED;
      card->expires_on = bb_text_strip (v);
      break;
    case F_CARD_MONTHS:
      {
        gint64 months;

        if (!g_ascii_string_to_signed (v, 10, G_MININT, G_MAXINT, &months, NULL))
          {
            g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, "Months: “%s” is not a number", v);
            return FALSE;
          }
        card->validity = BB_PREPAID_VALIDITY_MONTHS;
        card->validity_months = (int) months;
        break;
      }
    case F_CARD_POLICY:
      set_str (&card->refund_policy, v);
      break;
    case F_CARD_LOW:
      if (!bb_money_parse (v, book_currency (book), "Low-balance mark", FALSE, &card->low_balance_mark, error))
        return FALSE;
      break;
    case F_CARD_BONUS_AT:
      card->bonus_amount = 100;
      if (!bb_money_parse (v, book_currency (book), "Bonus", FALSE, &card->bonus_threshold, error))
        return FALSE;
      break;
    case F_CARD_BONUS:
      card->bonus_threshold = 100000;
      if (!bb_money_parse (v, book_currency (book), "Bonus", FALSE, &card->bonus_amount, error))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();
    }

  if (!bb_prepaid_save_account (book->db, card, error))
    return FALSE;

  book->new_id = card->id;
  return TRUE;
}

static char *
read_prepaid_card (Book         *book,
                   const Target *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPrepaidAccount) card = bb_prepaid_get_account (book->db, book->new_id, &error);

  g_assert_no_error (error);
  switch (t->id)
    {
    case F_CARD_NAME: return g_strdup (card->name);
    case F_CARD_EXPIRES: return g_strdup (card->expires_on);
    case F_CARD_MONTHS: return g_strdup_printf ("%d", card->validity_months);
    case F_CARD_POLICY: return g_strdup (card->refund_policy);
    case F_CARD_LOW: return bb_money_format_plain (card->low_balance_mark, book_currency (book));
    case F_CARD_BONUS_AT: return bb_money_format_plain (card->bonus_threshold, book_currency (book));
    case F_CARD_BONUS: return bb_money_format_plain (card->bonus_amount, book_currency (book));
    default: g_assert_not_reached ();
    }
}

static gboolean
run_prepaid_entry (Book          *book,
                   const Target  *t,
                   const char    *v,
                   GError       **error)
{
  const char *amount = "20", *date = "2026-03-10", *note = "洗车";
  g_autofree char *day = NULL;
  BbMoney value = 0;

  switch (t->id)
    {
    case F_PP_AMOUNT: amount = v; break;
    case F_PP_DATE: date = v; break;
    case F_PP_NOTE: note = v; break;
    default: g_assert_not_reached ();
    }

  if (t->entry != E_PREPAID_ADJUST &&
      !bb_money_parse (amount, book_currency (book), "Amount", FALSE, &value, error))
    return FALSE;
  /* The dialogs strip the date as typed; empty is today. */
  day = bb_text_strip (date);

  switch (t->entry)
    {
    case E_PREPAID_TOPUP:
      return bb_prepaid_top_up (book->db, books.card_id, *day ? day : NULL, value, BB_PAYMENT_ALIPAY,
                                note, &book->new_id, error);
    case E_PREPAID_CHARGE:
      return bb_prepaid_charge (book->db, books.card_id, day, value, note, &book->new_id, error);
    case E_PREPAID_REFUND:
      return bb_prepaid_refund (book->db, books.card_id, day, value, BB_PAYMENT_CASH, note,
                                &book->new_id, error);
    case E_PREPAID_ADJUST:
      {
        BbMoney minus_ten = -10;

        for (guint i = 0; i < book_currency (book)->digits; i++)
          minus_ten *= 10;
        return bb_prepaid_adjust (book->db, books.card_id, day, minus_ten, note, &book->new_id, error);
      }
    default:
      g_assert_not_reached ();
    }
}

static char *
read_prepaid_entry (Book         *book,
                    const Target *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbPrepaidEntry) entry = bb_prepaid_get_entry (book->db, book->new_id, &error);

  g_assert_no_error (error);
  switch (t->id)
    {
    case F_PP_AMOUNT: return bb_money_format_plain (ABS (entry->amount), book_currency (book));
    case F_PP_DATE: return g_strdup (entry->occurred_on);
    case F_PP_NOTE: return g_strdup (entry->note);
    default: g_assert_not_reached ();
    }
}

static gboolean
run_recurring (Book          *book,
               const Target  *t,
               const char    *v,
               GError       **error)
{
  g_autoptr(BbRecurringCharge) charge = bb_recurring_charge_new ();
  const char *description = "月租 Monthly rent", *amount = "300", *start = "2026-03-01", *end = "";

  switch (t->id)
    {
    case F_RC_DESCRIPTION: description = v; break;
    case F_RC_AMOUNT: amount = v; break;
    case F_RC_START: start = v; break;
    case F_RC_END: end = v; break;
    default: g_assert_not_reached ();
    }

  charge->customer_id = books.customer_id;
  charge->interval = BB_RECURRING_MONTHLY;
  set_str (&charge->description, description);
  if (!bb_money_parse (amount, book_currency (book), "Amount", FALSE, &charge->amount, error))
    return FALSE;
  g_free (charge->start_on);
  charge->start_on = bb_text_strip (start);
  g_free (charge->end_on);
  charge->end_on = bb_text_strip (end);

  if (!bb_recurring_save (book->db, charge, error))
    return FALSE;

  book->new_id = charge->id;
  return TRUE;
}

static char *
read_recurring (Book         *book,
                const Target *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRecurringCharge) charge = bb_recurring_get (book->db, book->new_id, &error);

  g_assert_no_error (error);
  switch (t->id)
    {
    case F_RC_DESCRIPTION: return g_strdup (charge->description);
    case F_RC_AMOUNT: return bb_money_format_plain (charge->amount, book_currency (book));
    case F_RC_START: return g_strdup (charge->start_on);
    case F_RC_END: return g_strdup (charge->end_on);
    default: g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------ */
/* Running a case as an import does                                    */

typedef struct
{
  const char *header;
  const char *rows[3];    /* lines 2, 3 (the one tried) and 4 */
} FileShape;

static const FileShape file_shapes[] = {
  [E_CUSTOMERS_CSV] = {
    BB_CUSTOMERS_CSV_HEADER,
    { "C100,张三,张记五金店,138 0013 8000,zhangsan@example.com,上海市南京东路100号,,,5000.00,30,vip,每月初结账",
      "C101,Li Si,,139 0000 1111,lisi@example.com,1 Main Street,,,100.00,14,,Pays in cash",
      "C102,王五,,,,,,,,,," },
  },
  [E_INVOICES_CSV] = {
    BB_INVOICES_CSV_HEADER,
    { "B-1,C000001,2026-04-01,,issued,螺丝 M6,100,3.00,13,",
      "B-2,C000001,2026-04-01,2026-04-30,issued,Tea,2,10.00,13,5",
      "B-3,C000001,2026-04-01,,issued,Hammer,1,45.00,13," },
  },
  [E_PAYMENTS_CSV] = {
    BB_PAYMENTS_CSV_HEADER,
    { "C000001,,2026-04-01,5.00,cash,付款 1",
      "C000001,INV-2026-0001,2026-04-02,7.00,alipay,ALI-0003",
      "C000001,,2026-04-03,5.00,wechat_pay,付款 3" },
  },
  [E_PREPAID_CSV] = {
    BB_PREPAID_CSV_HEADER,
    { "C000001,会员卡,2026-04-01,topup,100.00,充值 1",
      "C000001,会员卡,2026-04-02,topup,50.00,充值 2",
      "C000001,会员卡,2026-04-03,charge,20.00,洗车" },
  },
};

/* Line 3 of the file is the row tried. */
#define TRIED_LINE 3

static void
append_field (GString    *out,
              const char *text)
{
  g_autoptr(GString) quoted = g_string_new (text);

  g_string_replace (quoted, "\"", "\"\"", 0);
  g_string_append_c (out, '"');
  g_string_append_len (out, quoted->str, quoted->len);
  g_string_append_c (out, '"');
}

/* The file, every field quoted, with @v in @column of line 3. */
static GBytes *
make_file (Entry       entry,
           const char *column,
           const char *v)
{
  const FileShape *shape = &file_shapes[entry];
  g_auto(GStrv) columns = g_strsplit (shape->header, ",", -1);
  GString *out = g_string_new (shape->header);
  gboolean found = FALSE;

  g_string_append_c (out, '\n');

  for (guint row = 0; row < G_N_ELEMENTS (shape->rows); row++)
    {
      g_auto(GStrv) fields = g_strsplit (shape->rows[row], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, g_strv_length (columns));
      for (guint i = 0; fields[i]; i++)
        {
          const char *text = fields[i];

          if (row == 1 && g_str_equal (columns[i], column))
            {
              text = v;
              found = TRUE;
            }
          if (i > 0)
            g_string_append_c (out, ',');
          append_field (out, text);
        }
      g_string_append_c (out, '\n');
    }

  g_assert_true (found);
  return g_string_free_to_bytes (out);
}

static gboolean
run_file (Book          *book,
          const Target  *t,
          const char    *v,
          GError       **error)
{
  g_autoptr(GBytes) bytes = make_file (t->entry, t->field, v);

  switch (t->entry)
    {
    case E_CUSTOMERS_CSV:
      return bb_customers_import_csv (book->db, bytes, FALSE, NULL, NULL, NULL, &book->report, error);
    case E_INVOICES_CSV:
      return bb_invoices_import_csv (book->db, bytes, FALSE, NULL, NULL, NULL, &book->report, error);
    case E_PAYMENTS_CSV:
      return bb_payments_import_csv (book->db, bytes, FALSE, NULL, NULL, NULL, &book->report, error);
    case E_PREPAID_CSV:
      return bb_prepaid_import_csv (book->db, bytes, FALSE, NULL, NULL, NULL, &book->report, error);
    default:
      g_assert_not_reached ();
    }
}

/* The value of @column in the record line 3 made. */
static char *
read_file (Book         *book,
           const Target *t,
           const char   *v)
{
  g_autoptr(GError) error = NULL;
  const char *column = t->field;

  switch (t->entry)
    {
    case E_CUSTOMERS_CSV:
      {
        g_autoptr(BbCustomer) c = bb_customers_get_by_code (book->db,
                                                            g_str_equal (column, "code") ? v : "C101",
                                                            &error);

        if (c == NULL)
          return NULL;
        if (g_str_equal (column, "code")) return g_strdup (c->code);
        if (g_str_equal (column, "name")) return g_strdup (c->name);
        if (g_str_equal (column, "phone")) return g_strdup (c->phone);
        if (g_str_equal (column, "email")) return g_strdup (c->email);
        if (g_str_equal (column, "address")) return g_strdup (c->address);
        if (g_str_equal (column, "notes")) return g_strdup (c->notes);
        if (g_str_equal (column, "credit_limit"))
          return bb_money_format_plain (c->credit_limit, book_currency (book));
        if (g_str_equal (column, "payment_terms_days"))
          return g_strdup_printf ("%d", c->payment_terms_days);
        break;
      }

    case E_INVOICES_CSV:
      {
        g_autoptr(BbInvoice) inv = bb_invoices_get_by_number (book->db,
                                                              g_str_equal (column, "number") ? v : "B-2",
                                                              &error);
        BbInvoiceLine *line;

        if (inv == NULL)
          return NULL;
        line = g_ptr_array_index (inv->lines, 0);
        /* A bill that comes to less than nothing is a credit note. */
        if (inv->total < 0)
          g_assert_cmpint (inv->kind, ==, BB_INVOICE_KIND_CREDIT_NOTE);
        if (g_str_equal (column, "number")) return g_strdup (inv->number);
        if (g_str_equal (column, "customer_code")) return g_strdup (inv->customer_code);
        if (g_str_equal (column, "issued_on")) return g_strdup (inv->issued_on);
        if (g_str_equal (column, "due_on")) return g_strdup (inv->due_on);
        if (g_str_equal (column, "description")) return g_strdup (line->description);
        if (g_str_equal (column, "quantity")) return bb_quantity_format (line->quantity);
        if (g_str_equal (column, "unit_price"))
          return bb_money_format_plain (line->unit_price, book_currency (book));
        if (g_str_equal (column, "tax_rate_percent")) return bb_rate_format (line->tax_rate);
        if (g_str_equal (column, "discount_percent")) return bb_rate_format (line->discount);
        break;
      }

    case E_PAYMENTS_CSV:
      {
        g_autofree char *sql = g_strdup_printf ("SELECT id FROM payments WHERE id > %" G_GINT64_FORMAT
                                                " ORDER BY id LIMIT 1 OFFSET 1", books.last_payment_id);
        gint64 id = query_int (book->db, sql);
        g_autoptr(BbPayment) payment = id > 0 ? bb_payments_get (book->db, id, &error) : NULL;

        if (payment == NULL)
          return NULL;
        if (g_str_equal (column, "customer_code")) return g_strdup (payment->customer_code);
        if (g_str_equal (column, "invoice_number"))
          {
            g_autoptr(GPtrArray) allocations = bb_payments_list_payment_allocations (book->db, id, &error);

            g_assert_no_error (error);
            return allocations->len > 0
                   ? g_strdup (((BbAllocation *) g_ptr_array_index (allocations, 0))->invoice_number)
                   : g_strdup ("");
          }
        if (g_str_equal (column, "received_on")) return g_strdup (payment->received_on);
        if (g_str_equal (column, "reference")) return g_strdup (payment->reference);
        if (g_str_equal (column, "amount"))
          return bb_money_format_plain (payment->amount, book_currency (book));
        break;
      }

    case E_PREPAID_CSV:
      {
        g_autofree char *sql = g_strdup_printf ("SELECT id FROM prepaid_entries WHERE id > %" G_GINT64_FORMAT
                                                " AND kind <> 'bonus' ORDER BY id LIMIT 1 OFFSET 1",
                                                books.last_entry_id);
        gint64 id = query_int (book->db, sql);
        g_autoptr(BbPrepaidEntry) entry = id > 0 ? bb_prepaid_get_entry (book->db, id, &error) : NULL;
        g_autoptr(BbPrepaidAccount) card = NULL;

        if (entry == NULL)
          return NULL;
        card = bb_prepaid_get_account (book->db, entry->account_id, &error);
        g_assert_no_error (error);
        if (g_str_equal (column, "customer_code")) return g_strdup (card->customer_code);
        if (g_str_equal (column, "account")) return g_strdup (card->name);
        if (g_str_equal (column, "date")) return g_strdup (entry->occurred_on);
        if (g_str_equal (column, "note")) return g_strdup (entry->note);
        if (g_str_equal (column, "amount"))
          return bb_money_format_plain (ABS (entry->amount), book_currency (book));
        break;
      }

    default:
      break;
    }

  g_assert_not_reached ();
}

/* ------------------------------------------------------------------ */
/* One case                                                            */

typedef struct
{
  gboolean  ok;            /* the call succeeded */
  char     *message;       /* the refusal: the GError, or the file's problem */
  gsize     message_len;   /* of the whole message */
  char     *read_back;     /* STORED/ACCEPTED: what the book holds */
  guint     kinds;         /* ProblemKind found */
  GString  *problems;      /* what the checks found, for the log */
} Result;

static void
result_clear (Result *r)
{
  g_free (r->message);
  g_free (r->read_back);
  if (r->problems)
    g_string_free (r->problems, TRUE);
}

static void G_GNUC_PRINTF (3, 4)
problem (Result     *r,
         guint       kind,
         const char *format,
         ...)
{
  va_list args;

  r->kinds |= kind;
  if (r->problems->len > 0)
    g_string_append (r->problems, "; ");
  va_start (args, format);
  g_string_append_vprintf (r->problems, format, args);
  va_end (args);
}

/* Whether @message names @field: "Field: …", or "Line 3, field: …" and
 * "Line 3, column “field”: …" for files. */
static gboolean
names_field (const char *message,
             const char *field,
             gboolean    file)
{
  g_autofree char *line = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *plain = NULL;

  if (!file)
    return g_str_has_prefix (message, field) && message[strlen (field)] == ':';

  line = g_strdup_printf ("Line %u", TRIED_LINE);
  plain = g_strdup_printf ("Line %u, %s:", TRIED_LINE, field);
  quoted = g_strdup_printf ("Line %u, column “%s”:", TRIED_LINE, field);

  return g_str_has_prefix (message, plain) || g_str_has_prefix (message, quoted);
}

/* The message to judge: for a file, its problem on line 3 if the report
 * has one, else the error itself (a file it could not read at all). */
static const char *
pick_message (Book         *book,
              const GError *error,
              const Target *t,
              Result       *r)
{
  const char *first = NULL;

  if (!is_file (t) || book->report == NULL || book->report->problems->len == 0)
    return error ? error->message : NULL;

  for (guint i = 0; i < book->report->problems->len; i++)
    {
      BbImportProblem *p = g_ptr_array_index (book->report->problems, i);

      if (p->line != TRIED_LINE)
        problem (r, P_NO_FIELD, "a good row was refused: %s", p->message);
      else if (first == NULL || names_field (p->message, t->field, TRUE))
        first = p->message;
    }

  return first;
}

/* A copy of a template book, open: the one the last case left, while it
 * is still as the template was (a refusal writes nothing), else a new
 * copy. Every case starts from the template's exact state. */
static struct
{
  Book  book;
  char *pristine;
} open_books[2];

static Book *
book_get (const Case  *c,
          char       **sum)
{
  gboolean jpy = c->value == V_DECIMALS_JPY;
  Book *book = &open_books[jpy].book;

  if (book->db != NULL)
    {
      *sum = book_checksum (book->db);
      if (g_str_equal (*sum, open_books[jpy].pristine))
        {
          book->new_id = 0;
          g_clear_pointer (&book->report, bb_import_report_free);
          return book;
        }
      g_clear_pointer (sum, g_free);
      book_close (book);
    }

  book_open (book, jpy);
  *sum = book_checksum (book->db);
  if (open_books[jpy].pristine == NULL)
    open_books[jpy].pristine = g_strdup (*sum);
  g_assert_cmpstr (*sum, ==, open_books[jpy].pristine);

  return book;
}

static void
books_close (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (open_books); i++)
    {
      if (open_books[i].book.db != NULL)
        book_close (&open_books[i].book);
      g_clear_pointer (&open_books[i].pristine, g_free);
    }
}

static void
run_case (const Case *c,
          Result     *r)
{
  const Target *t = c->target;
  const char *v = value_text (c->value);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) counts_before = NULL;
  g_autoptr(GHashTable) counts_after = NULL;
  g_autofree char *sum_before = NULL;
  g_autofree char *sum_after = NULL;
  sqlite3_int64 changes_before, changes_after;
  const char *message;
  Book *book;

  memset (r, 0, sizeof *r);
  r->problems = g_string_new (NULL);

  book = book_get (c, &sum_before);
  counts_before = table_counts (book->db);
  changes_before = sqlite3_total_changes64 (_bb_db_get_handle (book->db));

  switch (t->entry)
    {
    case E_CUSTOMER_EDITOR: r->ok = run_customer_editor (book, t, v, &error); break;
    case E_INTERACTION: r->ok = run_interaction (book, t, v, &error); break;
    case E_BUSINESS: r->ok = run_business (book, t, v, &error); break;
    case E_PREFERENCES:
      /* A 10 MB pattern is tried as pasted, without -{seq}. */
      if (t->id == F_PATTERN && c->value == V_HUGE)
        r->ok = bb_invoices_set_pattern (book->db, v, &error);
      else
        r->ok = run_preferences (book, t, v, &error);
      break;
    case E_BILL_EDITOR: r->ok = run_bill_editor (book, t, v, &error); break;
    case E_VOID: r->ok = bb_invoices_void (book->db, books.void_bill_id, v, &error); break;
    case E_PAYMENT: r->ok = run_payment (book, t, v, &error); break;
    case E_REFUND: r->ok = bb_payments_reverse (book->db, books.payment_id, v, &error); break;
    case E_PREPAID_CARD: r->ok = run_prepaid_card (book, t, v, &error); break;
    case E_PREPAID_TOPUP:
    case E_PREPAID_CHARGE:
    case E_PREPAID_REFUND:
    case E_PREPAID_ADJUST: r->ok = run_prepaid_entry (book, t, v, &error); break;
    case E_RECURRING: r->ok = run_recurring (book, t, v, &error); break;
    case E_CUSTOMERS_CSV:
    case E_INVOICES_CSV:
    case E_PAYMENTS_CSV:
    case E_PREPAID_CSV:
      r->ok = run_file (book, t, v, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  changes_after = sqlite3_total_changes64 (_bb_db_get_handle (book->db));
  sum_after = book_checksum (book->db);
  counts_after = table_counts (book->db);

  if (!r->ok)
    {
      /* (1) refused, (2) naming the field, (3) nothing written. */
      g_assert_nonnull (error);
      message = pick_message (book, error, t, r);
      r->message_len = message ? strlen (message) : 0;
      r->message = message ? g_strndup (message, MIN (r->message_len, 4 * MAX_MESSAGE_BYTES)) : NULL;

      if (c->expect != REFUSED)
        problem (r, P_REFUSED, "refused: %.200s", message);

      if (message == NULL || !names_field (message, c->prefix, is_file (t)))
        problem (r, P_NO_FIELD, "the message does not start with “%s%s:”: %.200s",
                 is_file (t) ? "Line 3, " : "", c->prefix, message ? message : "(none)");
      if (message != NULL && !g_utf8_validate (message, -1, NULL))
        problem (r, P_MESSAGE, "the message is not valid UTF-8");
      if (r->message_len > MAX_MESSAGE_BYTES)
        problem (r, P_MESSAGE, "the message is %" G_GSIZE_FORMAT " bytes long", r->message_len);

      if (g_strcmp0 (sum_before, sum_after) != 0)
        problem (r, P_WRITTEN, "the tables changed");
      if (changes_after != changes_before)
        problem (r, P_WRITTEN, "total_changes went from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                 (gint64) changes_before, (gint64) changes_after);
      if (is_file (t) && book->report != NULL && book->report->n_imported != 0)
        problem (r, P_WRITTEN, "the report says %u were imported", book->report->n_imported);
    }
  else
    {
      const char *expected = c->stored ? c->stored : v;
      GHashTableIter iter;
      gpointer name, count;

      g_assert_no_error (error);

      if (c->expect == REFUSED)
        problem (r, P_NOT_REFUSED, "accepted");

      /* The value reads back as given: plain text, never run. */
      switch (t->entry)
        {
        case E_CUSTOMER_EDITOR: r->read_back = read_customer (book, t); break;
        case E_INTERACTION: r->read_back = read_interaction (book, t); break;
        case E_BUSINESS: r->read_back = read_business (book, t); break;
        case E_PREFERENCES: r->read_back = read_preferences (book, t); break;
        case E_BILL_EDITOR:
        case E_VOID: r->read_back = read_bill (book, t); break;
        case E_PAYMENT:
        case E_REFUND: r->read_back = read_payment (book, t); break;
        case E_PREPAID_CARD: r->read_back = read_prepaid_card (book, t); break;
        case E_PREPAID_TOPUP:
        case E_PREPAID_CHARGE:
        case E_PREPAID_REFUND:
        case E_PREPAID_ADJUST: r->read_back = read_prepaid_entry (book, t); break;
        case E_RECURRING: r->read_back = read_recurring (book, t); break;
        default: r->read_back = read_file (book, t, v); break;
        }

      if (c->expect != REFUSED && g_strcmp0 (r->read_back, expected) != 0)
        problem (r, P_READ_BACK, "stored “%.200s”, not “%.200s”",
                 r->read_back ? r->read_back : "(nothing)", expected);

      /* Every table is still there, none lost a row. */
      g_hash_table_iter_init (&iter, counts_before);
      while (g_hash_table_iter_next (&iter, &name, &count))
        {
          gpointer after;

          if (!g_hash_table_lookup_extended (counts_after, name, NULL, &after))
            problem (r, P_DAMAGED, "table %s is gone", (const char *) name);
          else if (GPOINTER_TO_INT (after) < GPOINTER_TO_INT (count))
            problem (r, P_DAMAGED, "table %s lost rows", (const char *) name);
        }
      if (query_int (book->db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'") != 0)
        problem (r, P_DAMAGED, "integrity_check failed");
    }

  /* What was stored stays in this copy: the next case takes a new one. */
  if (r->ok)
    book_close (book);
}

/* ------------------------------------------------------------------ */
/* The test                                                            */

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  Result r;
  guint unexcused;

  run_case (c, &r);
  unexcused = r.kinds & ~(c->gap ? c->gap->kinds : 0);

  if (r.problems->len > 0)
    g_test_message ("%s", r.problems->str);

  if (unexcused != 0)
    g_test_fail_printf ("%s: %s", c->path, r.problems->str);
  else if (c->gap != NULL && r.kinds == 0)
    g_test_fail_printf ("%s: the known gap is gone (“%s”); update the gaps in test-bad-input.c "
                        "and the table in tests/README.md", c->path, c->gap->why);
  else if (c->gap != NULL)
    g_test_incomplete (c->gap->why);

  result_clear (&r);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */

/* @text for a Markdown table cell: at most @max characters, bytes that
 * are not UTF-8 and control characters written as \xNN, invisible
 * format characters (zero-width space, bidi overrides) as \uNNNN, '|'
 * escaped. */
static char *
cell_text (const char *text,
           gssize      len,
           guint       max)
{
  GString *out = g_string_new (NULL);
  const char *end = text + (len < 0 ? (gssize) strlen (text) : len);
  guint n = 0;

  for (const char *p = text; p < end && *p; n++)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (n == max)
        {
          g_string_append (out, "…");
          break;
        }

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }

      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if (g_unichar_type (c) == G_UNICODE_FORMAT || g_unichar_iscntrl (c) ||
               c == 0x2028 || c == 0x2029)
        g_string_append_printf (out, "\\u%04x", c);
      else if (c == '|')
        g_string_append (out, "\\|");
      else if (c == '<')
        g_string_append (out, "&lt;");
      else if (c == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

static char *
outcome_text (const Case   *c,
              const Result *r)
{
  GString *out = g_string_new (NULL);

  if (!r->ok)
    {
      g_autofree char *message = cell_text (r->message ? r->message : "", -1, TABLE_MESSAGE_CHARS);

      g_string_append_printf (out, "refused: %s", message);
      if (r->message_len > MAX_MESSAGE_BYTES)
        g_string_append_printf (out, " (a message of %" G_GSIZE_FORMAT " bytes)", r->message_len);
    }
  else if (c->expect == STORED && c->stored == NULL && !(r->kinds & P_READ_BACK))
    g_string_append (out, "stored as text");
  else
    {
      g_autofree char *stored = cell_text (r->read_back ? r->read_back : "", -1, 60);

      g_string_append_printf (out, "%s `%s`", c->expect == STORED ? "stored as text:" : "accepted as",
                              stored);
    }

  if (c->note)
    g_string_append_printf (out, " (%s)", c->note);

  if (c->gap && r->kinds != 0)
    g_string_append_printf (out, " — **incomplete**: %s", c->gap->why);
  else if (r->kinds != 0)
    g_string_append_printf (out, " — **FAILS**: %s", r->problems->str);

  return g_string_free (out, FALSE);
}

static void
print_table (void)
{
  g_print ("| Entry point | Field | Input | What happens |\n");
  g_print ("|---|---|---|---|\n");

  for (guint i = 0; i < cases->len; i++)
    {
      const Case *c = g_ptr_array_index (cases, i);
      g_autofree char *outcome = NULL;
      Result r;

      run_case (c, &r);
      outcome = outcome_text (c, &r);
      g_print ("| %s | %s | %s | %s |\n",
               entry_names[c->target->entry], c->target->field, values[c->value].label, outcome);
      result_clear (&r);
    }
}

int
main (int   argc,
      char *argv[])
{
  gboolean table = FALSE;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);

#ifdef __GLIBC__
  /* The 10 MB cases copy the text a few times each: keep those blocks on
   * the heap instead of mapping and unmapping them again and again. */
  mallopt (M_MMAP_THRESHOLD, 64 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--table"))
      table = TRUE;

  build_cases ();
  make_templates ();

  if (table)
    {
      print_table ();
      status = 0;
    }
  else
    {
      g_test_init (&argc, &argv, NULL);

      for (guint i = 0; i < cases->len; i++)
        {
          const Case *c = g_ptr_array_index (cases, i);

          g_test_add_data_func (c->path, c, test_case);
        }

      status = g_test_run ();
    }

  books_close ();
  remove_tree (books.dir);
  return status;
}
