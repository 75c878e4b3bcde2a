/* bb-statement.c — statement reconciliation: Alipay, WeChat Pay and bank
 * statements read, matched to open bills and turned into payments
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading. Alipay and WeChat Pay bill exports are CSV files (GB18030 or
 * UTF-8, with or without a byte order mark: bb-csv.c decodes them) that
 * start with lines about the export (微信支付账单明细, 账号:[…], 起始时间…)
 * and, for Alipay, end with a summary (共N笔记录, 已收入…). The readers
 * look for the header row by its column names, never by position: the
 * first record naming a transaction number, a time and an amount of the
 * platform is the header, everything before it is the preamble. After
 * the data, a line of dashes or "#" ends the table, and trailing lines
 * with at most two fields are the summary; such a line followed by more
 * transactions is a bad line instead. Bank files have no fixed layout:
 * a BbStatementMapping names the columns (guessed from the header,
 * corrected by the user, remembered per bank in the settings table).
 *
 * A reading is all or nothing, as an import is: every bad line is
 * collected with its line number and column, and a file with any is not
 * offered for matching. Lines that are not money received (expenses,
 * refunds, closed or failed transactions, transfers between one's own
 * accounts) are kept, marked as no candidate with the reason.
 *
 * Matching looks, for each candidate line, at the open issued bills in
 * the statement's currency: those whose open balance equals the amount,
 * whose number appears in the memo, remark or order number, or whose
 * customer is the counterparty (name or company, phone or email, also
 * masked as the platforms show them). A line is MATCHED when exactly one
 * bill has the amount and its number in the details, or, when no bill
 * has both, exactly one has the amount, its customer as the counterparty
 * and the date between the bill's issue and N days after it fell due. Lines are taken oldest first and a bill
 * matched by one line owes that much less for the next, so two equal
 * payments never both match one bill.
 *
 * Confirming records the accepted lines as payments in one transaction,
 * through the same path as the window (_bb_payments_insert()), each with
 * a row of statement_imports (schema version 6) whose unique key
 * (platform, account, transaction_id) makes a second import of the same
 * transaction fail, and so the whole confirmation with it.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-csv.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-import-private.h"
#include "bb-payments-private.h"
#include "bb-statement.h"
#include "bb-io-task-private.h"
#include "bb-text.h"

/* As bb_payments_record() allows for a reference and a note. */
#define MAX_TRANSACTION_ID_CHARS 200
#define MAX_NOTE_CHARS 2000
#define MAX_BANK_NAME_CHARS 100
#define MAX_COLUMN_NAME_CHARS 200
/* Records looked at for the header row before giving up. */
#define MAX_PREAMBLE_RECORDS 200

#define MAPPING_KEY_PREFIX "statement.bank:"
/* The first key after every key with the prefix (':' + 1). */
#define MAPPING_KEY_END "statement.bank;"
#define MAPPING_GROUP "Statement Mapping"
#define MAPPING_VERSION 1

/* ---- Names ---------------------------------------------------------- */

const char *
bb_statement_platform_to_string (BbStatementPlatform platform)
{
  switch (platform)
    {
    case BB_STATEMENT_ALIPAY:
      return "alipay";
    case BB_STATEMENT_WECHAT_PAY:
      return "wechat_pay";
    case BB_STATEMENT_BANK:
      return "bank";
    default:
      return "";
    }
}

gboolean
bb_statement_platform_from_string (const char          *text,
                                   BbStatementPlatform *platform)
{
  for (int p = BB_STATEMENT_ALIPAY; p <= BB_STATEMENT_BANK; p++)
    {
      if (g_strcmp0 (text, bb_statement_platform_to_string ((BbStatementPlatform) p)) == 0)
        {
          if (platform != NULL)
            *platform = (BbStatementPlatform) p;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * bb_statement_platform_label:
 *
 * Returns: the platform's name for the user: “Alipay”, “WeChat Pay”,
 *   “Bank”
 */
const char *
bb_statement_platform_label (BbStatementPlatform platform)
{
  switch (platform)
    {
    case BB_STATEMENT_ALIPAY:
      return _("Alipay");
    case BB_STATEMENT_WECHAT_PAY:
      return _("WeChat Pay");
    case BB_STATEMENT_BANK:
      return _("Bank");
    default:
      return "";
    }
}

/**
 * bb_statement_platform_method:
 *
 * Returns: how money of this platform is recorded: alipay, wechat_pay or
 *   bank_transfer
 */
BbPaymentMethod
bb_statement_platform_method (BbStatementPlatform platform)
{
  switch (platform)
    {
    case BB_STATEMENT_ALIPAY:
      return BB_PAYMENT_ALIPAY;
    case BB_STATEMENT_WECHAT_PAY:
      return BB_PAYMENT_WECHAT_PAY;
    case BB_STATEMENT_BANK:
    default:
      return BB_PAYMENT_BANK_TRANSFER;
    }
}

const char *
bb_statement_outcome_to_string (BbStatementOutcome outcome)
{
  switch (outcome)
    {
    case BB_STATEMENT_MATCHED:
      return "matched";
    case BB_STATEMENT_SUGGESTED:
      return "suggested";
    case BB_STATEMENT_UNMATCHED:
      return "unmatched";
    case BB_STATEMENT_ALREADY_IMPORTED:
      return "already_imported";
    case BB_STATEMENT_SKIPPED:
      return "skipped";
    default:
      return "";
    }
}

/* ---- Records -------------------------------------------------------- */

static void
line_clear (BbStatementLine *line)
{
  g_free (line->account);
  g_free (line->currency);
  g_free (line->transaction_id);
  g_free (line->merchant_order_id);
  g_free (line->time);
  g_free (line->date);
  g_free (line->kind);
  g_free (line->counterparty);
  g_free (line->counterparty_account);
  g_free (line->memo);
  g_free (line->remark);
  g_free (line->status);
  g_free (line->skip_reason);
}

static BbStatementLine *
line_new (void)
{
  return g_atomic_rc_box_new0 (BbStatementLine);
}

BbStatementLine *
bb_statement_line_ref (BbStatementLine *line)
{
  g_return_val_if_fail (line != NULL, NULL);

  return g_atomic_rc_box_acquire (line);
}

void
bb_statement_line_unref (BbStatementLine *line)
{
  if (line != NULL)
    g_atomic_rc_box_release_full (line, (GDestroyNotify) line_clear);
}

static void
statement_clear (BbStatement *statement)
{
  g_free (statement->account);
  g_free (statement->currency);
  g_clear_pointer (&statement->lines, g_ptr_array_unref);
  g_clear_pointer (&statement->problems, g_ptr_array_unref);
}

static BbStatement *
statement_new (BbStatementPlatform  platform,
               const char          *account,
               const char          *currency)
{
  BbStatement *statement = g_atomic_rc_box_new0 (BbStatement);

  statement->platform = platform;
  statement->account = g_strdup (account ? account : "");
  statement->currency = g_strdup (currency);
  statement->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_statement_line_unref);
  statement->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_import_problem_free);

  return statement;
}

BbStatement *
bb_statement_ref (BbStatement *statement)
{
  g_return_val_if_fail (statement != NULL, NULL);

  return g_atomic_rc_box_acquire (statement);
}

void
bb_statement_unref (BbStatement *statement)
{
  if (statement != NULL)
    g_atomic_rc_box_release_full (statement, (GDestroyNotify) statement_clear);
}

void
bb_statement_candidate_free (BbStatementCandidate *candidate)
{
  if (candidate == NULL)
    return;

  g_free (candidate->invoice_number);
  g_free (candidate->customer_code);
  g_free (candidate->customer_name);
  g_free (candidate->issued_on);
  g_free (candidate->due_on);
  g_free (candidate->explanation);
  g_free (candidate);
}

void
bb_statement_match_free (BbStatementMatch *match)
{
  if (match == NULL)
    return;

  bb_statement_line_unref (match->line);
  g_clear_pointer (&match->candidates, g_ptr_array_unref);
  g_free (match->reason);
  g_free (match);
}

/* ---- Text ----------------------------------------------------------- */

/* A cell as the platforms write it: blanks and tabs around it (WeChat
 * adds a tab after its numbers so spreadsheets keep them as text), a
 * backtick before it (WeChat merchant bills), ="…" or a leading
 * apostrophe (other ways of keeping numbers as text), "/" for nothing. */
static char *
clean_cell (const char *raw)
{
  g_autofree char *text = bb_text_strip (raw);
  const char *p = text;
  gsize len;

  while (*p == '`')
    p++;

  len = strlen (p);
  if (len >= 3 && p[0] == '=' && p[1] == '"' && p[len - 1] == '"')
    {
      g_autofree char *inner = g_strndup (p + 2, len - 3);

      return clean_cell (inner);
    }

  if (p[0] == '\'' && g_ascii_isdigit (p[1]))
    p++;

  if (g_str_equal (p, "/"))
    return g_strdup ("");

  if (p != text)
    return bb_text_strip (p);

  return g_steal_pointer (&text);
}

/* A header name for comparison: no blanks, no parenthesised unit
 * ("金额（元）", "金额(元)" and "金额 " are all "金额"), ASCII lower case. */
static char *
normalise_name (const char *name)
{
  GString *out = g_string_new (NULL);
  int depth = 0;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return g_string_free (out, FALSE);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '(' || c == 0xFF08)
        depth++;
      else if (c == ')' || c == 0xFF09)
        depth = MAX (depth - 1, 0);
      else if (depth > 0 || g_unichar_isspace (c) || c == 0x3000 || c == 0xFEFF || c == '`')
        continue;
      else if (c < 0x80)
        g_string_append_c (out, g_ascii_tolower ((char) c));
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static gboolean
has_digit (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      return TRUE;

  return FALSE;
}

/* Reads up to @max_digits digits; FALSE if there are none. */
static gboolean
read_number (const char **p,
             guint        max_digits,
             guint       *value,
             guint       *n_digits)
{
  guint n = 0;
  guint v = 0;

  while (g_ascii_isdigit (**p))
    {
      if (n == max_digits)
        return FALSE;
      v = v * 10 + (guint) (**p - '0');
      n++;
      (*p)++;
    }

  *value = v;
  if (n_digits != NULL)
    *n_digits = n;
  return n > 0;
}

/* A separator of a date's parts: - / . or 年 月. */
static gboolean
skip_date_separator (const char **p)
{
  if (**p == '-' || **p == '/' || **p == '.')
    {
      (*p)++;
      return TRUE;
    }
  if (g_str_has_prefix (*p, "年") || g_str_has_prefix (*p, "月"))
    {
      *p += strlen ("年");
      return TRUE;
    }

  return FALSE;
}

static void
skip_blanks (const char **p)
{
  while (**p == ' ' || **p == '\t')
    (*p)++;
}

/* "12:30", "12:30:05", "12:30:05.123", "123005"; sets h, m, s. */
static gboolean
parse_clock (const char **p,
             guint       *h,
             guint       *m,
             guint       *s)
{
  guint n = 0;

  *s = 0;
  if (!read_number (p, 6, h, &n))
    return FALSE;

  if (n == 6 || n == 4)
    {
      guint v = *h;

      if (n == 6)
        {
          *s = v % 100;
          v /= 100;
        }
      *m = v % 100;
      *h = v / 100;
    }
  else
    {
      if (n > 2 || **p != ':')
        return FALSE;
      (*p)++;
      if (!read_number (p, 2, m, &n) || n != 2)
        return FALSE;
      if (**p == ':')
        {
          (*p)++;
          if (!read_number (p, 2, s, &n) || n != 2)
            return FALSE;
        }
      if (**p == '.')
        {
          guint frac;

          (*p)++;
          if (!read_number (p, 9, &frac, NULL))
            return FALSE;
        }
    }

  return *h < 24 && *m < 60 && *s < 60;
}

/*
 * parse_date_time:
 * @text: "2024-01-05 12:34:56", "2024/1/5 12:34", "2024年1月5日", "20240105",
 *   "05/01/2024 12:00" (@format DMY)…
 * @date: (out): "YYYY-MM-DD"
 * @time: (out) (optional): "YYYY-MM-DD HH:MM:SS", or the date alone when
 *   @text has no time
 *
 * Returns: whether @text is one date, with or without a time of day, in
 *   1900–2199
 */
static gboolean
parse_date_time (const char             *text,
                 BbStatementDateFormat   format,
                 char                  **date,
                 char                  **time)
{
  const char *p = text;
  guint a = 0, b = 0, c = 0, na = 0, nb = 0, nc = 0;
  guint year, month, day;
  guint h = 0, m = 0, s = 0;
  gboolean with_time = FALSE;

  if (!read_number (&p, 8, &a, &na))
    return FALSE;

  if (na == 8 && format == BB_STATEMENT_DATE_YMD)
    {
      year = a / 10000;
      month = (a / 100) % 100;
      day = a % 100;
    }
  else
    {
      if (!skip_date_separator (&p) || !read_number (&p, 4, &b, &nb) ||
          !skip_date_separator (&p) || !read_number (&p, 4, &c, &nc))
        return FALSE;
      if (g_str_has_prefix (p, "日"))
        p += strlen ("日");

      switch (format)
        {
        case BB_STATEMENT_DATE_DMY:
          year = c, month = b, day = a;
          if (nc != 4 || na > 2 || nb > 2)
            return FALSE;
          break;
        case BB_STATEMENT_DATE_MDY:
          year = c, month = a, day = b;
          if (nc != 4 || na > 2 || nb > 2)
            return FALSE;
          break;
        case BB_STATEMENT_DATE_YMD:
        default:
          year = a, month = b, day = c;
          if (na != 4 || nb > 2 || nc > 2)
            return FALSE;
          break;
        }
    }

  if (*p == 'T')
    p++;
  skip_blanks (&p);
  if (*p != '\0')
    {
      if (!parse_clock (&p, &h, &m, &s))
        return FALSE;
      with_time = TRUE;
      skip_blanks (&p);
      if (*p != '\0')
        return FALSE;
    }

  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  *date = g_strdup_printf ("%04u-%02u-%02u", year, month, day);
  if (time != NULL)
    *time = with_time ? g_strdup_printf ("%s %02u:%02u:%02u", *date, h, m, s) : g_strdup (*date);

  return TRUE;
}

/* ---- Reading -------------------------------------------------------- */

/* What a column holds. */
typedef enum
{
  ROLE_TRANSACTION_ID,
  ROLE_MERCHANT_ORDER,
  ROLE_DATE,                 /* bank: the day (may hold the time too) */
  ROLE_TIME,                 /* Alipay, WeChat: date and time; bank: time of day */
  ROLE_TIME_FALLBACK,        /* Alipay: 交易创建时间 when 付款时间 is empty */
  ROLE_KIND,
  ROLE_COUNTERPARTY,
  ROLE_COUNTERPARTY_ACCOUNT,
  ROLE_MEMO,
  ROLE_REMARK,
  ROLE_DIRECTION,
  ROLE_AMOUNT,
  ROLE_CREDIT,
  ROLE_DEBIT,
  ROLE_STATUS,
  ROLE_FUND_STATUS,
  ROLE_REFUNDED,
  N_ROLES
} Role;

#define MAX_ALIASES 20

/* The names a role's column has, normalised (normalise_name()), the
 * most telling first. */
typedef struct
{
  Role        role;
  const char *names[MAX_ALIASES];
} RoleAliases;

/* Personal exports (old: 交易号…资金状态; new: 交易时间…备注) and the
 * merchant's trade and account statements (支付宝交易号, 账务流水号). */
static const RoleAliases alipay_roles[] = {
  { ROLE_TRANSACTION_ID, { "交易号", "交易订单号", "支付宝交易号", "业务流水号", "账务流水号", NULL } },
  { ROLE_MERCHANT_ORDER, { "商家订单号", "商户订单号", NULL } },
  { ROLE_TIME, { "付款时间", "交易时间", "发生时间", "完成时间", "交易创建时间", "创建时间", NULL } },
  { ROLE_TIME_FALLBACK, { "交易创建时间", "创建时间", "最近修改时间", NULL } },
  { ROLE_KIND, { "类型", "交易分类", "业务类型", NULL } },
  { ROLE_COUNTERPARTY, { "交易对方", "对方名称", NULL } },
  { ROLE_COUNTERPARTY_ACCOUNT, { "对方账号", "对方账户", NULL } },
  { ROLE_MEMO, { "商品名称", "商品说明", NULL } },
  { ROLE_REMARK, { "备注", NULL } },
  { ROLE_DIRECTION, { "收/支", NULL } },
  { ROLE_AMOUNT, { "金额", "订单金额", NULL } },
  { ROLE_CREDIT, { "收入金额", NULL } },
  { ROLE_DEBIT, { "支出金额", NULL } },
  { ROLE_STATUS, { "交易状态", NULL } },
  { ROLE_FUND_STATUS, { "资金状态", NULL } },
  { ROLE_REFUNDED, { "成功退款", NULL } },
};

/* Personal exports (交易时间…备注) and merchant bills (微信订单号…). */
static const RoleAliases wechat_roles[] = {
  { ROLE_TRANSACTION_ID, { "交易单号", "微信订单号", NULL } },
  { ROLE_MERCHANT_ORDER, { "商户单号", "商户订单号", NULL } },
  { ROLE_TIME, { "交易时间", NULL } },
  { ROLE_KIND, { "交易类型", NULL } },
  { ROLE_COUNTERPARTY, { "交易对方", NULL } },
  { ROLE_COUNTERPARTY_ACCOUNT, { "用户标识", NULL } },
  { ROLE_MEMO, { "商品", "商品名称", NULL } },
  { ROLE_REMARK, { "备注", NULL } },
  { ROLE_DIRECTION, { "收/支", NULL } },
  { ROLE_AMOUNT, { "金额", "订单金额", "应结订单金额", NULL } },
  { ROLE_STATUS, { "当前状态", "交易状态", NULL } },
  { ROLE_REFUNDED, { "退款金额", NULL } },
};

/* For guessing a bank's mapping: Chinese and English headers. */
static const RoleAliases bank_roles[] = {
  { ROLE_DATE, { "交易日期", "记账日期", "入账日期", "日期", "date", "transactiondate", "bookingdate",
                 "postingdate", "valuedate", "bookingday", "交易时间", "datetime", NULL } },
  { ROLE_TIME, { "交易时间", "时间", "time", "transactiontime", NULL } },
  { ROLE_CREDIT, { "收入金额", "收入", "贷方金额", "贷方发生额", "贷方", "存入金额", "存入", "收款金额",
                   "credit", "creditamount", "moneyin", "paidin", "deposit", "deposits", "in", NULL } },
  { ROLE_DEBIT, { "支出金额", "支出", "借方金额", "借方发生额", "借方", "取出金额", "支取", "付款金额",
                  "debit", "debitamount", "moneyout", "paidout", "withdrawal", "withdrawals", "out", NULL } },
  { ROLE_AMOUNT, { "交易金额", "金额", "发生额", "amount", "transactionamount", "amt", NULL } },
  { ROLE_TRANSACTION_ID, { "交易流水号", "流水号", "交易参考号", "参考号", "凭证号", "交易序号", "业务流水号",
                           "reference", "ref", "referencenumber", "transactionid", "transactionreference",
                           "transactionnumber", "id", NULL } },
  { ROLE_COUNTERPARTY, { "对方户名", "对方名称", "对方账户名", "对方账户名称", "对方单位", "交易对方",
                         "收/付款人", "付款人", "counterparty", "counterpartyname", "payer", "payee",
                         "name", "beneficiary", NULL } },
  { ROLE_COUNTERPARTY_ACCOUNT, { "对方账号", "对方账户", "对方卡号", "counterpartyaccount", "payeraccount",
                                 NULL } },
  { ROLE_MEMO, { "摘要", "交易摘要", "用途", "交易用途", "memo", "description", "details", "narrative",
                 "purpose", "transactiondetails", NULL } },
  { ROLE_REMARK, { "附言", "备注", "remark", "remarks", "note", "notes", "comment", "message", NULL } },
};

typedef struct
{
  BbStatementPlatform        platform;
  const RoleAliases         *aliases;     /* Alipay, WeChat */
  guint                      n_aliases;
  const BbStatementMapping  *mapping;     /* bank */
  const BbCurrency          *currency;
  BbStatement               *statement;
  BbCsvReader               *reader;

  gboolean                   have_header;
  int                        col[N_ROLES];
  char                     **names;       /* the header's names, stripped */
  guint                      n_columns;

  GArray                    *pending;     /* lines that look like a summary, so far */
  GHashTable                *bad_lines;
  GHashTable                *seen_ids;    /* transaction id → line */
  GHashTable                *synthetic;   /* content digest → times seen */
  gboolean                   ended;
  gboolean                   header_failed; /* its problems say why */
} Reader;

static void
reader_clear (Reader *r)
{
  g_clear_pointer (&r->reader, bb_csv_reader_free);
  g_clear_pointer (&r->names, g_strfreev);
  g_clear_pointer (&r->pending, g_array_unref);
  g_clear_pointer (&r->bad_lines, g_hash_table_unref);
  g_clear_pointer (&r->seen_ids, g_hash_table_unref);
  g_clear_pointer (&r->synthetic, g_hash_table_unref);
}

static void
add_problem_take (Reader     *r,
                  guint       line,
                  const char *field,
                  char       *message)
{
  g_ptr_array_add (r->statement->problems, _bb_import_problem_new (line, field, message));

  if (line > 0)
    g_hash_table_add (r->bad_lines, GUINT_TO_POINTER (line));
}

static const char *
role_name (Reader *r,
           Role    role)
{
  int i = r->col[role];

  if (i < 0 || (guint) i >= r->n_columns)
    return NULL;

  return r->names[i];
}

/* "Line 7, 金额(元): …" from an error whose message starts with the
 * column's name already (bb_money_parse() was given it). */
static void
add_error_problem (Reader       *r,
                   guint         line,
                   Role          role,
                   const GError *error)
{
  add_problem_take (r, line, role_name (r, role),
                    /* Translators: "Line 7, 金额(元): “abc” is not an amount" */
                    g_strdup_printf (_("Line %u, %s"), line, error->message));
}

/* Matches the roles of @aliases to the columns of @names; returns how
 * many were found. */
static guint
assign_roles (const RoleAliases  *aliases,
              guint               n_aliases,
              char              **normalised,
              guint               n_names,
              int                *col)
{
  g_autofree gboolean *taken = g_new0 (gboolean, n_names + 1);
  guint found = 0;

  for (guint i = 0; i < N_ROLES; i++)
    col[i] = -1;

  for (guint a = 0; a < n_aliases; a++)
    {
      const RoleAliases *entry = &aliases[a];

      for (guint k = 0; entry->names[k] != NULL && col[entry->role] < 0; k++)
        {
          for (guint i = 0; i < n_names; i++)
            {
              if (!taken[i] && g_str_equal (normalised[i], entry->names[k]))
                {
                  col[entry->role] = (int) i;
                  taken[i] = TRUE;
                  found++;
                  break;
                }
            }
        }
    }

  return found;
}

static char **
normalise_all (char  **fields,
               guint   n)
{
  char **out = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    out[i] = normalise_name (fields[i]);

  return out;
}

static gboolean
header_is_complete (BbStatementPlatform  platform,
                    const int           *col)
{
  if (col[ROLE_TRANSACTION_ID] < 0 || col[ROLE_TIME] < 0)
    return FALSE;

  if (platform == BB_STATEMENT_ALIPAY)
    return col[ROLE_AMOUNT] >= 0 || col[ROLE_CREDIT] >= 0;

  return col[ROLE_AMOUNT] >= 0;
}

static void
platform_aliases (BbStatementPlatform   platform,
                  const RoleAliases   **aliases,
                  guint                *n)
{
  if (platform == BB_STATEMENT_ALIPAY)
    {
      *aliases = alipay_roles;
      *n = G_N_ELEMENTS (alipay_roles);
    }
  else
    {
      *aliases = wechat_roles;
      *n = G_N_ELEMENTS (wechat_roles);
    }
}

static void
set_header (Reader  *r,
            char   **fields,
            int     *col)
{
  guint n = g_strv_length (fields);

  r->have_header = TRUE;
  r->n_columns = n;
  r->names = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    r->names[i] = clean_cell (fields[i]);
  memcpy (r->col, col, sizeof r->col);
  bb_csv_reader_name_columns (r->reader, r->names);
}

/* The pending summary-like lines turn out to be in the middle of the
 * data: they are bad lines. */
static void
flush_pending (Reader *r)
{
  for (guint i = 0; i < r->pending->len; i++)
    {
      guint line = g_array_index (r->pending, guint, i);

      if (r->platform == BB_STATEMENT_BANK)
        add_problem_take (r, line, role_name (r, ROLE_DATE),
                          g_strdup_printf (_("Line %u, %s: needed; the day of the transaction"),
                                           line, role_name (r, ROLE_DATE)));
      else
        add_problem_take (r, line, NULL,
                          g_strdup_printf (_("Line %u: not a transaction; most of its fields are empty"),
                                           line));
    }
  g_array_set_size (r->pending, 0);
}

static char *
quoted (const char *text)
{
  return g_strdup_printf (_("“%s”"), text);
}

/* Money read from @role's cell: FALSE with a problem when it is no
 * amount; *present says whether the cell held anything. */
static gboolean
read_amount (Reader      *r,
             guint        line,
             Role         role,
             char       **cells,
             BbMoney     *amount,
             gboolean    *present)
{
  g_autoptr(GError) error = NULL;
  const char *text = cells[r->col[role]];

  *amount = 0;
  *present = *text != '\0';
  if (!*present)
    return TRUE;

  if (!bb_money_parse (text, r->currency, role_name (r, role), TRUE, amount, &error))
    {
      add_error_problem (r, line, role, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
contains_any (const char          *text,
              const char * const  *words)
{
  g_autofree char *upper = g_ascii_strup (text, -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (upper, words[i]) != NULL)
      return TRUE;

  return FALSE;
}

static const char * const refund_words[] = { "退款", "退还", "退回", "REFUND", NULL };
static const char * const failed_words[] = {
  "关闭", "失败", "撤销", "取消", "过期", "等待", "处理中", "未支付", "未到账", "冻结",
  "CLOSED", "REVOKED", "PAYERROR", "NOTPAY", "USERPAYING", "FAIL", NULL
};
static const char * const success_words[] = {
  "成功", "已收钱", "已存入", "已到账", "已入账", "已收款", "已收入", "已完成", "完成", "SUCCESS", NULL
};

static const char *
cell_of (Reader  *r,
         char   **cells,
         Role     role)
{
  return r->col[role] >= 0 ? cells[r->col[role]] : "";
}

/* The content digest of a bank line without a transaction number: the
 * same line in the next export of the same bank gets the same id. */
static char *
synthetic_id (Reader          *r,
              BbStatementLine *line)
{
  g_autofree char *amount = g_strdup_printf ("%" G_GINT64_FORMAT, line->amount);
  g_autofree char *joined = g_strjoin ("\x1f", line->time, amount,
                                       line->direction == BB_STATEMENT_INCOME ? "+" : "-",
                                       line->counterparty, line->counterparty_account,
                                       line->memo, line->remark, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, joined, -1);
  guint n;

  digest[20] = '\0';
  n = GPOINTER_TO_UINT (g_hash_table_lookup (r->synthetic, digest)) + 1;
  g_hash_table_insert (r->synthetic, g_strdup (digest), GUINT_TO_POINTER (n));

  return g_strdup_printf ("auto-%s-%u", digest, n);
}

/* The direction, amount and whether completed, for Alipay and WeChat. */
static gboolean
interpret_platform_row (Reader           *r,
                        guint             line_no,
                        char            **cells,
                        BbStatementLine  *line,
                        BbMoney           signed_amount,
                        char            **skip)
{
  const char *direction = cell_of (r, cells, ROLE_DIRECTION);
  const char *fund = cell_of (r, cells, ROLE_FUND_STATUS);
  gboolean ok = TRUE;

  if (r->col[ROLE_DIRECTION] >= 0)
    {
      if (g_str_equal (direction, "收入") || g_str_equal (direction, "收"))
        line->direction = BB_STATEMENT_INCOME;
      else if (g_str_equal (direction, "支出") || g_str_equal (direction, "支"))
        line->direction = BB_STATEMENT_EXPENSE;
      else if (*direction == '\0' && g_str_equal (fund, "已收入"))
        line->direction = BB_STATEMENT_INCOME;
      else if (*direction == '\0' && g_str_equal (fund, "已支出"))
        line->direction = BB_STATEMENT_EXPENSE;
      else if (*direction == '\0' || g_str_equal (direction, "不计收支") || g_str_equal (direction, "其他"))
        line->direction = BB_STATEMENT_NEITHER;
      else
        {
          g_autofree char *q = quoted (direction);

          add_problem_take (r, line_no, role_name (r, ROLE_DIRECTION),
                            g_strdup_printf (_("Line %u, %s: %s is neither 收入 (income) nor 支出 (expense)"),
                                             line_no, role_name (r, ROLE_DIRECTION), q));
          ok = FALSE;
        }

      if (ok && signed_amount < 0 && line->direction == BB_STATEMENT_INCOME)
        {
          add_problem_take (r, line_no, role_name (r, ROLE_AMOUNT),
                            g_strdup_printf (_("Line %u, %s: an income cannot be negative"),
                                             line_no, role_name (r, ROLE_AMOUNT)));
          ok = FALSE;
        }
    }
  else if (r->col[ROLE_AMOUNT] >= 0 || r->col[ROLE_CREDIT] >= 0)
    line->direction = signed_amount < 0 ? BB_STATEMENT_EXPENSE : BB_STATEMENT_INCOME;

  if (!ok)
    return FALSE;

  if (line->direction == BB_STATEMENT_EXPENSE)
    *skip = g_strdup (_("money paid out, not received"));
  else if (line->direction == BB_STATEMENT_NEITHER)
    {
      const char *what = *direction != '\0' ? direction : (*fund != '\0' ? fund : line->kind);

      if (*what != '\0')
        *skip = g_strdup_printf (_("neither income nor expense (%s)"), what);
      else
        *skip = g_strdup (_("neither income nor expense"));
    }
  else if (contains_any (line->kind, refund_words) || contains_any (line->status, refund_words))
    *skip = g_strdup_printf (_("a refund (%s)"), contains_any (line->status, refund_words)
                                                 ? line->status : line->kind);
  else if (r->col[ROLE_STATUS] >= 0 &&
           (contains_any (line->status, failed_words) || !contains_any (line->status, success_words)))
    {
      if (*line->status == '\0')
        *skip = g_strdup (_("not completed: the status is empty"));
      else
        *skip = g_strdup_printf (_("not completed: the status is “%s”"), line->status);
    }

  return TRUE;
}

/* The direction and amount of a bank line. */
static gboolean
interpret_bank_row (Reader           *r,
                    guint             line_no,
                    char            **cells,
                    BbStatementLine  *line,
                    BbMoney          *amount,
                    char            **skip)
{
  gboolean present = FALSE;
  gboolean ok = TRUE;

  if (r->col[ROLE_AMOUNT] >= 0)
    {
      if (!read_amount (r, line_no, ROLE_AMOUNT, cells, amount, &present))
        return FALSE;
      if (!present)
        {
          add_problem_take (r, line_no, role_name (r, ROLE_AMOUNT),
                            g_strdup_printf (_("Line %u, %s: needed; the amount of the transaction"),
                                             line_no, role_name (r, ROLE_AMOUNT)));
          return FALSE;
        }
      line->direction = *amount < 0 ? BB_STATEMENT_EXPENSE : BB_STATEMENT_INCOME;
    }
  else
    {
      BbMoney credit = 0, debit = 0;
      gboolean has_credit = FALSE, has_debit = FALSE;

      if (r->col[ROLE_CREDIT] >= 0)
        ok = read_amount (r, line_no, ROLE_CREDIT, cells, &credit, &has_credit) && ok;
      if (r->col[ROLE_DEBIT] >= 0)
        ok = read_amount (r, line_no, ROLE_DEBIT, cells, &debit, &has_debit) && ok;
      if (!ok)
        return FALSE;

      if (credit != 0 && debit != 0)
        {
          add_problem_take (r, line_no, role_name (r, ROLE_CREDIT),
                            g_strdup_printf (_("Line %u: both %s and %s hold an amount; a transaction goes one way"),
                                             line_no, role_name (r, ROLE_CREDIT), role_name (r, ROLE_DEBIT)));
          return FALSE;
        }
      if (credit != 0)
        {
          *amount = credit < 0 ? -credit : credit;
          line->direction = BB_STATEMENT_INCOME;
        }
      else
        {
          *amount = debit < 0 ? debit : -debit;
          line->direction = BB_STATEMENT_EXPENSE;
        }
    }

  if (line->direction == BB_STATEMENT_EXPENSE)
    *skip = g_strdup (_("money paid out, not received"));

  return TRUE;
}

/* One data row: a line of the statement, or problems. */
static void
read_row (Reader  *r,
          char   **fields,
          guint    line_no)
{
  guint n_fields = g_strv_length (fields);
  g_auto(GStrv) cells = g_new0 (char *, MAX (n_fields, r->n_columns) + 1);
  g_autoptr(BbStatementLine) line = NULL;
  g_autofree char *skip = NULL;
  guint n_filled = 0;
  BbMoney amount = 0;
  gboolean ok = TRUE;
  const char *first = NULL;
  const char *text;
  Role time_role = r->platform == BB_STATEMENT_BANK ? ROLE_DATE : ROLE_TIME;

  for (guint i = 0; i < MAX (n_fields, r->n_columns); i++)
    {
      cells[i] = clean_cell (i < n_fields ? fields[i] : "");
      if (*cells[i] != '\0')
        {
          n_filled++;
          if (first == NULL)
            first = cells[i];
        }
    }
  if (first == NULL)
    return;

  if (r->platform != BB_STATEMENT_BANK)
    {
      /* The end of the table: a line of dashes, the merchant bills'
       * summary, Alipay's "#" lines. */
      if (g_str_has_prefix (first, "---") || g_str_has_prefix (first, "#") ||
          g_str_has_prefix (first, "总交易单数"))
        {
          r->ended = TRUE;
          return;
        }
      if (n_filled <= 2)
        {
          g_array_append_val (r->pending, line_no);
          return;
        }
    }
  else if (!has_digit (cells[r->col[ROLE_DATE]]))
    {
      /* "合计", "Total": a summary line, if nothing follows. */
      g_array_append_val (r->pending, line_no);
      return;
    }

  flush_pending (r);
  r->statement->n_rows++;

  for (guint i = r->n_columns; i < n_fields; i++)
    {
      if (*cells[i] != '\0')
        {
          add_problem_take (r, line_no, NULL,
                            g_strdup_printf (_("Line %u has %u fields, but the header has %u columns; "
                                               "is a field with a comma missing its quotes?"),
                                             line_no, n_fields, r->n_columns));
          return;
        }
    }

  line = line_new ();
  line->line = line_no;
  line->platform = r->platform;
  line->account = g_strdup (r->statement->account);
  line->currency = g_strdup (r->currency->code);
  line->merchant_order_id = g_strdup (cell_of (r, cells, ROLE_MERCHANT_ORDER));
  line->kind = g_strdup (cell_of (r, cells, ROLE_KIND));
  line->counterparty = g_strdup (cell_of (r, cells, ROLE_COUNTERPARTY));
  line->counterparty_account = g_strdup (cell_of (r, cells, ROLE_COUNTERPARTY_ACCOUNT));
  line->memo = g_strdup (cell_of (r, cells, ROLE_MEMO));
  line->remark = g_strdup (cell_of (r, cells, ROLE_REMARK));
  line->status = g_strdup (cell_of (r, cells, ROLE_STATUS));

  /* The transaction number */
  text = cell_of (r, cells, ROLE_TRANSACTION_ID);
  if (*text != '\0')
    {
      g_autoptr(GError) error = NULL;

      if (!bb_text_validate (text, role_name (r, ROLE_TRANSACTION_ID), MAX_TRANSACTION_ID_CHARS, FALSE, &error))
        {
          add_error_problem (r, line_no, ROLE_TRANSACTION_ID, error);
          ok = FALSE;
        }
      else
        line->transaction_id = g_strdup (text);
    }
  else if (r->platform != BB_STATEMENT_BANK)
    {
      add_problem_take (r, line_no, role_name (r, ROLE_TRANSACTION_ID),
                        g_strdup_printf (_("Line %u, %s: needed; the transaction number of %s"),
                                         line_no, role_name (r, ROLE_TRANSACTION_ID),
                                         bb_statement_platform_label (r->platform)));
      ok = FALSE;
    }

  /* The day and time */
  text = cell_of (r, cells, time_role);
  if (*text == '\0' && r->col[ROLE_TIME_FALLBACK] >= 0)
    {
      time_role = ROLE_TIME_FALLBACK;
      text = cells[r->col[ROLE_TIME_FALLBACK]];
    }
  if (*text == '\0')
    {
      add_problem_take (r, line_no, role_name (r, time_role),
                        g_strdup_printf (_("Line %u, %s: needed; when the money moved"),
                                         line_no, role_name (r, time_role)));
      ok = FALSE;
    }
  else
    {
      BbStatementDateFormat format = r->mapping ? r->mapping->date_format : BB_STATEMENT_DATE_YMD;

      if (!parse_date_time (text, format, &line->date, &line->time))
        {
          g_autofree char *q = quoted (text);
          const char *example = format == BB_STATEMENT_DATE_DMY ? "05/01/2024"
                              : format == BB_STATEMENT_DATE_MDY ? "01/05/2024" : "2024-01-05";

          /* Translators: "Line 7, 交易时间: “2024-13-45” is not a date (and time) such as 2024-01-05 12:30:00" */
          add_problem_take (r, line_no, role_name (r, time_role),
                            g_strdup_printf (_("Line %u, %s: %s is not a date (and time) such as %s 12:30:00"),
                                             line_no, role_name (r, time_role), q, example));
          ok = FALSE;
        }
      else if (r->platform == BB_STATEMENT_BANK && r->col[ROLE_TIME] >= 0 &&
               *cells[r->col[ROLE_TIME]] != '\0' && g_str_equal (line->time, line->date))
        {
          const char *clock = cells[r->col[ROLE_TIME]];
          const char *p = clock;
          guint h, m, s;

          skip_blanks (&p);
          if (!parse_clock (&p, &h, &m, &s) || (skip_blanks (&p), *p != '\0'))
            {
              g_autofree char *q = quoted (clock);

              add_problem_take (r, line_no, role_name (r, ROLE_TIME),
                                g_strdup_printf (_("Line %u, %s: %s is not a time of day such as 12:30:00"),
                                                 line_no, role_name (r, ROLE_TIME), q));
              ok = FALSE;
            }
          else
            {
              g_free (line->time);
              line->time = g_strdup_printf ("%s %02u:%02u:%02u", line->date, h, m, s);
            }
        }
    }

  /* The amount and which way it went */
  if (r->platform == BB_STATEMENT_BANK)
    {
      if (!interpret_bank_row (r, line_no, cells, line, &amount, &skip))
        ok = FALSE;
    }
  else
    {
      gboolean present = FALSE;
      Role role = r->col[ROLE_AMOUNT] >= 0 ? ROLE_AMOUNT : ROLE_CREDIT;

      if (!read_amount (r, line_no, role, cells, &amount, &present))
        ok = FALSE;
      else if (role == ROLE_CREDIT && amount == 0 && r->col[ROLE_DEBIT] >= 0)
        {
          /* Alipay's account statement: money out in its own column. */
          if (!read_amount (r, line_no, ROLE_DEBIT, cells, &amount, &present))
            ok = FALSE;
          else
            amount = amount > 0 ? -amount : amount;
        }
      else if (!present)
        {
          add_problem_take (r, line_no, role_name (r, role),
                            g_strdup_printf (_("Line %u, %s: needed; the amount of the transaction"),
                                             line_no, role_name (r, role)));
          ok = FALSE;
        }

      if (ok && !interpret_platform_row (r, line_no, cells, line, amount, &skip))
        ok = FALSE;

      if (ok && r->col[ROLE_REFUNDED] >= 0 && skip == NULL)
        {
          BbMoney refunded = 0;

          if (!read_amount (r, line_no, ROLE_REFUNDED, cells, &refunded, &present))
            ok = FALSE;
          else if (refunded != 0)
            skip = g_strdup_printf (_("refunded (%s)"), cells[r->col[ROLE_REFUNDED]]);
        }
    }

  if (!ok)
    return;

  line->amount = amount < 0 ? -amount : amount;
  if (line->amount == 0 && skip == NULL)
    skip = g_strdup (_("no money moved"));

  if (line->transaction_id == NULL)
    line->transaction_id = synthetic_id (r, line);

  if (skip == NULL)
    {
      gpointer earlier = g_hash_table_lookup (r->seen_ids, line->transaction_id);

      if (earlier != NULL)
        skip = g_strdup_printf (_("the same transaction as line %u"), GPOINTER_TO_UINT (earlier));
      else
        g_hash_table_insert (r->seen_ids, g_strdup (line->transaction_id), GUINT_TO_POINTER (line_no));
    }

  line->candidate = skip == NULL;
  line->skip_reason = g_steal_pointer (&skip);
  g_ptr_array_add (r->statement->lines, g_steal_pointer (&line));
}

/* Bank: the header row is the first record on or after the mapping's
 * line; each mapped column must be in it. */
static gboolean
read_bank_header (Reader  *r,
                  char   **fields,
                  guint    line_no)
{
  const BbStatementMapping *m = r->mapping;
  const struct { Role role; const char *name; } wanted[] = {
    { ROLE_DATE, m->date_column },
    { ROLE_TIME, m->time_column },
    { ROLE_AMOUNT, m->amount_column },
    { ROLE_CREDIT, m->credit_column },
    { ROLE_DEBIT, m->debit_column },
    { ROLE_TRANSACTION_ID, m->reference_column },
    { ROLE_COUNTERPARTY, m->counterparty_column },
    { ROLE_COUNTERPARTY_ACCOUNT, m->counterparty_account_column },
    { ROLE_MEMO, m->memo_column },
    { ROLE_REMARK, m->remark_column },
  };
  guint n = g_strv_length (fields);
  g_auto(GStrv) normalised = normalise_all (fields, n);
  int col[N_ROLES];
  gboolean ok = TRUE;

  for (guint i = 0; i < N_ROLES; i++)
    col[i] = -1;

  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    {
      g_autofree char *name = NULL;

      if (wanted[w].name == NULL || *wanted[w].name == '\0')
        continue;

      name = normalise_name (wanted[w].name);
      for (guint i = 0; i < n; i++)
        {
          if (*name != '\0' && g_str_equal (normalised[i], name))
            {
              col[wanted[w].role] = (int) i;
              break;
            }
        }

      if (col[wanted[w].role] < 0)
        {
          g_autofree char *q = quoted (wanted[w].name);

          add_problem_take (r, line_no, wanted[w].name,
                            g_strdup_printf (_("Line %u: the header has no column %s; "
                                               "is this a statement of %s, and is its header on line %u?"),
                                             line_no, q,
                                             *r->statement->account ? r->statement->account : _("this bank"),
                                             line_no));
          ok = FALSE;
        }
    }

  set_header (r, fields, col);
  r->statement->header_line = line_no;

  return ok;
}

static void
describe_columns (GString            *out,
                  const RoleAliases  *aliases,
                  guint               n_aliases,
                  Role                role)
{
  for (guint a = 0; a < n_aliases; a++)
    {
      if (aliases[a].role != role)
        continue;

      if (out->len > 0)
        g_string_append (out, ", ");
      for (guint k = 0; k < 2 && aliases[a].names[k] != NULL; k++)
        {
          g_autofree char *q = quoted (aliases[a].names[k]);

          if (k > 0)
            /* Translators: between two column names, "“交易号” or “交易订单号”" */
            g_string_append (out, _(" or "));
          g_string_append (out, q);
        }
    }
}

/* No header row was found: a problem naming the columns looked for, and
 * the line that came closest. */
static void
header_not_found (Reader *r,
                  guint   best_line,
                  guint   best_found)
{
  g_autoptr(GString) columns = g_string_new (NULL);
  const char *label = bb_statement_platform_label (r->platform);

  describe_columns (columns, r->aliases, r->n_aliases, ROLE_TRANSACTION_ID);
  describe_columns (columns, r->aliases, r->n_aliases, ROLE_TIME);
  describe_columns (columns, r->aliases, r->n_aliases, ROLE_AMOUNT);

  if (best_found >= 2)
    add_problem_take (r, best_line, NULL,
                      /* Translators: "Line 5 looks like the header of a statement of Alipay, but its columns
                       * are not all there: it needs “交易号” or “交易订单号”, “付款时间” or “交易时间”, …" */
                      g_strdup_printf (_("Line %u looks like the header of a statement of %s, but its columns "
                                         "are not all there: it needs %s"),
                                       best_line, label, columns->str));
  else
    add_problem_take (r, 0, NULL,
                      g_strdup_printf (_("This is not a statement of %s: no line names the columns %s. "
                                         "Export the bill again from %s, or choose another kind of statement"),
                                       label, columns->str, label));
}

static gboolean
finish_reading (Reader       *r,
                BbStatement **statement,
                GError      **error)
{
  guint n_bad = g_hash_table_size (r->bad_lines);
  gboolean ok = r->statement->problems->len == 0;

  if (!ok)
    {
      if (n_bad > 0 && !r->header_failed)
        g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u line of the statement has problems; nothing was read",
                                  "%u lines of the statement have problems; nothing was read",
                                  n_bad),
                     n_bad);
      else
        g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                             ((BbImportProblem *) g_ptr_array_index (r->statement->problems, 0))->message);
    }

  if (statement != NULL)
    *statement = bb_statement_ref (r->statement);
  bb_statement_unref (r->statement);
  r->statement = NULL;
  reader_clear (r);

  return ok;
}

static gboolean
reader_open (Reader                    *r,
             GBytes                    *data,
             BbStatementPlatform        platform,
             const BbStatementMapping  *mapping,
             const BbCurrency          *currency,
             BbStatement              **statement,
             GError                   **error)
{
  g_autoptr(GError) local_error = NULL;

  memset (r, 0, sizeof *r);
  for (guint i = 0; i < N_ROLES; i++)
    r->col[i] = -1;

  if (statement != NULL)
    *statement = NULL;

  r->platform = platform;
  r->mapping = mapping;
  r->currency = currency ? currency : bb_currency_lookup ("CNY");
  if (r->currency == NULL)
    r->currency = bb_currency_get_default ();
  if (platform != BB_STATEMENT_BANK)
    platform_aliases (platform, &r->aliases, &r->n_aliases);

  r->reader = bb_csv_reader_new (data, &local_error);
  if (r->reader == NULL)
    {
      g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, local_error->message);
      return FALSE;
    }

  r->statement = statement_new (platform, mapping ? mapping->bank_name : "", r->currency->code);
  if (r->statement->account != NULL)
    {
      g_autofree char *stripped = bb_text_strip (r->statement->account);

      g_free (r->statement->account);
      r->statement->account = g_steal_pointer (&stripped);
    }
  r->pending = g_array_new (FALSE, FALSE, sizeof (guint));
  r->bad_lines = g_hash_table_new (NULL, NULL);
  r->seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->synthetic = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return TRUE;
}

static gboolean
read_statement (GBytes                    *data,
                BbStatementPlatform        platform,
                const BbStatementMapping  *mapping,
                const BbCurrency          *currency,
                BbStatement              **statement,
                GError                   **error)
{
  Reader r;
  guint n_records = 0;
  guint best_line = 0;
  guint best_found = 0;

  if (!reader_open (&r, data, platform, mapping, currency, statement, error))
    {
      reader_clear (&r);
      return FALSE;
    }

  while (!r.ended)
    {
      g_autoptr(GError) row_error = NULL;
      g_auto(GStrv) fields = NULL;
      guint line = 0;

      if (!bb_csv_reader_next (r.reader, &fields, &line, &row_error))
        {
          if (row_error == NULL)
            break;

          /* Before the header: the preamble, whatever it holds. */
          if (r.have_header)
            {
              flush_pending (&r);
              r.statement->n_rows++;
              add_problem_take (&r, line, NULL, g_strdup (row_error->message));
            }
          continue;
        }

      if (r.have_header)
        {
          read_row (&r, fields, line);
          continue;
        }

      n_records++;
      if (platform == BB_STATEMENT_BANK)
        {
          if (line < mapping->header_line)
            continue;
          if (!read_bank_header (&r, fields, line))
            {
              r.header_failed = TRUE;
              break;
            }
          continue;
        }

      {
        guint n = g_strv_length (fields);
        g_auto(GStrv) normalised = normalise_all (fields, n);
        int col[N_ROLES];
        guint found = assign_roles (r.aliases, r.n_aliases, normalised, n, col);

        if (header_is_complete (platform, col))
          {
            set_header (&r, fields, col);
            r.statement->header_line = line;
            continue;
          }

        if (found > best_found && col[ROLE_TRANSACTION_ID] >= 0)
          {
            best_found = found;
            best_line = line;
          }
      }

      if (n_records >= MAX_PREAMBLE_RECORDS)
        break;
    }

  if (!r.have_header)
    {
      r.header_failed = TRUE;
      if (platform == BB_STATEMENT_BANK)
        add_problem_take (&r, 0, NULL,
                          g_strdup_printf (_("The file has no header row on or after line %u"),
                                           mapping->header_line));
      else
        header_not_found (&r, best_line, best_found);
    }

  /* Lines with too few fields at the end: the summary, left out. */
  g_array_set_size (r.pending, 0);

  return finish_reading (&r, statement, error);
}

/**
 * bb_statement_read_alipay:
 * @data: an Alipay bill export (支付宝账单): CSV, GB18030 or UTF-8, with
 *   or without a byte order mark
 * @statement: (out) (optional) (transfer full): the lines read and every
 *   problem; set on failure as well, unless the file is not text
 * @error: return location for an error
 *
 * Reads the personal exports, old (交易号, …, 金额（元）, 收/支, 交易状态, …
 * 资金状态) and new (交易时间, 交易分类, …, 交易订单号, 商家订单号, 备注), and
 * the merchant's trade and account statements, by the names of their
 * columns. The lines before the header and the summary after the data
 * are left out. Each line's time is its payment time (付款时间), or its
 * creation time when it has none. Lines that are not money received and
 * completed are read with candidate %FALSE and the reason.
 *
 * Returns: %TRUE when every line is good; else %BB_DB_ERROR_INVALID says
 *   how many are bad and @statement's problems name each line and column
 */
gboolean
bb_statement_read_alipay (GBytes       *data,
                          BbStatement **statement,
                          GError      **error)
{
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return read_statement (data, BB_STATEMENT_ALIPAY, NULL, NULL, statement, error);
}

/**
 * bb_statement_read_wechat:
 * @data: a WeChat Pay bill export (微信支付账单明细): CSV, UTF-8 (with a
 *   byte order mark as WeChat writes it) or GB18030 (as a spreadsheet
 *   saves it)
 * @statement: (out) (optional) (transfer full): as for
 *   bb_statement_read_alipay()
 * @error: return location for an error
 *
 * Reads the personal export (交易时间, 交易类型, 交易对方, 商品, 收/支,
 * 金额(元), 支付方式, 当前状态, 交易单号, 商户单号, 备注; amounts such as
 * "¥100.00", numbers with a tab after them) and merchant bills (微信订单号,
 * 交易状态 SUCCESS/REFUND, fields starting with "`"), after the preamble
 * (微信昵称, 起始时间, the "微信支付账单明细列表" line).
 *
 * Returns: as bb_statement_read_alipay()
 */
gboolean
bb_statement_read_wechat (GBytes       *data,
                          BbStatement **statement,
                          GError      **error)
{
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return read_statement (data, BB_STATEMENT_WECHAT_PAY, NULL, NULL, statement, error);
}

/**
 * bb_statement_read_bank:
 * @data: a bank's CSV export
 * @mapping: its columns (bb_statement_mapping_validate() must accept it);
 *   its bank_name becomes the statement's account
 * @currency: (nullable): the currency of the amounts; %NULL for CNY
 * @statement: (out) (optional) (transfer full): as for
 *   bb_statement_read_alipay()
 * @error: return location for an error
 *
 * Reads a bank statement: the header row is the first record on or after
 * @mapping's header_line, the rows below it transactions. Money in is a
 * positive amount (or the credit column), money out a negative one (or
 * the debit column); only money in is a candidate. Lines whose date
 * column holds no digit at the end of the file ("合计", "Total") are its
 * summary and left out. A line without a transaction number gets one
 * made of its contents ("auto-…-1"), the same in every export of the
 * same bank, so it is never imported twice either.
 *
 * Returns: as bb_statement_read_alipay()
 */
gboolean
bb_statement_read_bank (GBytes                    *data,
                        const BbStatementMapping  *mapping,
                        const BbCurrency          *currency,
                        BbStatement              **statement,
                        GError                   **error)
{
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (statement != NULL)
    *statement = NULL;

  if (!bb_statement_mapping_validate (mapping, error))
    return FALSE;

  return read_statement (data, BB_STATEMENT_BANK, mapping, currency, statement, error);
}

/**
 * bb_statement_detect:
 * @data: a statement file
 * @platform: (out) (optional): where it comes from
 *
 * Looks for the header row of an Alipay or a WeChat Pay export, as the
 * readers do. A bank's file is not recognised: it needs a mapping.
 *
 * Returns: %TRUE when @data is an Alipay or WeChat Pay export
 */
gboolean
bb_statement_detect (GBytes              *data,
                     BbStatementPlatform *platform)
{
  g_autoptr(BbCsvReader) reader = NULL;
  guint n_records = 0;

  g_return_val_if_fail (data != NULL, FALSE);

  reader = bb_csv_reader_new (data, NULL);
  if (reader == NULL)
    return FALSE;

  while (n_records++ < MAX_PREAMBLE_RECORDS)
    {
      g_autoptr(GError) row_error = NULL;
      g_auto(GStrv) fields = NULL;
      g_auto(GStrv) normalised = NULL;
      guint n;

      if (!bb_csv_reader_next (reader, &fields, NULL, &row_error))
        {
          if (row_error == NULL)
            break;
          continue;
        }

      n = g_strv_length (fields);
      normalised = normalise_all (fields, n);
      for (int p = BB_STATEMENT_ALIPAY; p <= BB_STATEMENT_WECHAT_PAY; p++)
        {
          const RoleAliases *aliases;
          guint n_aliases;
          int col[N_ROLES];

          platform_aliases ((BbStatementPlatform) p, &aliases, &n_aliases);
          assign_roles (aliases, n_aliases, normalised, n, col);
          if (header_is_complete ((BbStatementPlatform) p, col))
            {
              if (platform != NULL)
                *platform = (BbStatementPlatform) p;
              return TRUE;
            }
        }
    }

  return FALSE;
}

/* ---- Bank mappings -------------------------------------------------- */

BbStatementMapping *
bb_statement_mapping_new (void)
{
  BbStatementMapping *mapping = g_new0 (BbStatementMapping, 1);

  mapping->date_format = BB_STATEMENT_DATE_YMD;
  return mapping;
}

BbStatementMapping *
bb_statement_mapping_copy (const BbStatementMapping *mapping)
{
  BbStatementMapping *copy;

  g_return_val_if_fail (mapping != NULL, NULL);

  copy = bb_statement_mapping_new ();
  copy->bank_name = g_strdup (mapping->bank_name);
  copy->header_line = mapping->header_line;
  copy->date_column = g_strdup (mapping->date_column);
  copy->time_column = g_strdup (mapping->time_column);
  copy->amount_column = g_strdup (mapping->amount_column);
  copy->credit_column = g_strdup (mapping->credit_column);
  copy->debit_column = g_strdup (mapping->debit_column);
  copy->reference_column = g_strdup (mapping->reference_column);
  copy->counterparty_column = g_strdup (mapping->counterparty_column);
  copy->counterparty_account_column = g_strdup (mapping->counterparty_account_column);
  copy->memo_column = g_strdup (mapping->memo_column);
  copy->remark_column = g_strdup (mapping->remark_column);
  copy->date_format = mapping->date_format;

  return copy;
}

void
bb_statement_mapping_free (BbStatementMapping *mapping)
{
  if (mapping == NULL)
    return;

  g_free (mapping->bank_name);
  g_free (mapping->date_column);
  g_free (mapping->time_column);
  g_free (mapping->amount_column);
  g_free (mapping->credit_column);
  g_free (mapping->debit_column);
  g_free (mapping->reference_column);
  g_free (mapping->counterparty_column);
  g_free (mapping->counterparty_account_column);
  g_free (mapping->memo_column);
  g_free (mapping->remark_column);
  g_free (mapping);
}

const char *
bb_statement_date_format_to_string (BbStatementDateFormat format)
{
  switch (format)
    {
    case BB_STATEMENT_DATE_DMY:
      return "dmy";
    case BB_STATEMENT_DATE_MDY:
      return "mdy";
    case BB_STATEMENT_DATE_YMD:
    default:
      return "ymd";
    }
}

gboolean
bb_statement_date_format_from_string (const char            *text,
                                      BbStatementDateFormat *format)
{
  for (int f = BB_STATEMENT_DATE_YMD; f <= BB_STATEMENT_DATE_MDY; f++)
    {
      if (g_strcmp0 (text, bb_statement_date_format_to_string ((BbStatementDateFormat) f)) == 0)
        {
          if (format != NULL)
            *format = (BbStatementDateFormat) f;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

/**
 * bb_statement_mapping_validate:
 *
 * A mapping must name the date column and the amount, as one signed
 * column or as credit and/or debit columns (not both ways); its names
 * must be text without control characters; the date format must be one
 * of #BbStatementDateFormat.
 *
 * Returns: %TRUE if @mapping can read a file; else %BB_DB_ERROR_INVALID
 *   names what is missing
 */
gboolean
bb_statement_mapping_validate (const BbStatementMapping  *mapping,
                               GError                   **error)
{
  const struct { const char *value; const char *label; } names[] = {
    { mapping->date_column, N_("Date column") },
    { mapping->time_column, N_("Time column") },
    { mapping->amount_column, N_("Amount column") },
    { mapping->credit_column, N_("Money in column") },
    { mapping->debit_column, N_("Money out column") },
    { mapping->reference_column, N_("Reference column") },
    { mapping->counterparty_column, N_("Counterparty column") },
    { mapping->counterparty_account_column, N_("Counterparty account column") },
    { mapping->memo_column, N_("Memo column") },
    { mapping->remark_column, N_("Remark column") },
  };

  g_return_val_if_fail (mapping != NULL, FALSE);

  if (mapping->bank_name != NULL &&
      !bb_text_validate (mapping->bank_name, _("Bank"), MAX_BANK_NAME_CHARS, FALSE, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (!bb_text_validate (names[i].value, _(names[i].label), MAX_COLUMN_NAME_CHARS, FALSE, error))
      return FALSE;

  if (!is_set (mapping->date_column))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: choose the column with the day of each transaction"), _("Date column"));
      return FALSE;
    }

  if (!is_set (mapping->amount_column) && !is_set (mapping->credit_column) && !is_set (mapping->debit_column))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: choose the column with the amount, or the columns with money in and money out"),
                   _("Amount column"));
      return FALSE;
    }

  if (is_set (mapping->amount_column) && (is_set (mapping->credit_column) || is_set (mapping->debit_column)))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: choose either one column with the amount (money out negative), "
                     "or the columns with money in and money out, not both"),
                   _("Amount column"));
      return FALSE;
    }

  if ((guint) mapping->date_format > BB_STATEMENT_DATE_MDY)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: choose how the dates are written"), _("Date format"));
      return FALSE;
    }

  return TRUE;
}

/**
 * bb_statement_guess_mapping:
 * @header: (array zero-terminated=1): the names of a bank file's header row
 *
 * Guesses which column is which from their names, Chinese (交易日期,
 * 收入金额, 支出金额, 对方户名, 摘要, 流水号…) or English (Date, Amount,
 * Credit, Debit, Payee, Description, Reference…). The header line, the
 * bank's name and the date format (year first) are left for the caller.
 *
 * Returns: (transfer full): the guess; it may lack the date or the amount
 *   (see bb_statement_mapping_validate())
 */
BbStatementMapping *
bb_statement_guess_mapping (const char * const *header)
{
  BbStatementMapping *mapping;
  guint n;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) normalised = NULL;
  int col[N_ROLES];

  g_return_val_if_fail (header != NULL, NULL);

  n = g_strv_length ((char **) header);
  names = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    names[i] = clean_cell (header[i]);
  normalised = normalise_all (names, n);
  assign_roles (bank_roles, G_N_ELEMENTS (bank_roles), normalised, n, col);

  /* Money in and out columns, when there are any, give the amount. */
  if (col[ROLE_CREDIT] >= 0 || col[ROLE_DEBIT] >= 0)
    col[ROLE_AMOUNT] = -1;

#define GUESSED(role) (col[role] >= 0 ? g_strdup (names[col[role]]) : NULL)
  mapping = bb_statement_mapping_new ();
  mapping->date_column = GUESSED (ROLE_DATE);
  mapping->time_column = GUESSED (ROLE_TIME);
  mapping->amount_column = GUESSED (ROLE_AMOUNT);
  mapping->credit_column = GUESSED (ROLE_CREDIT);
  mapping->debit_column = GUESSED (ROLE_DEBIT);
  mapping->reference_column = GUESSED (ROLE_TRANSACTION_ID);
  mapping->counterparty_column = GUESSED (ROLE_COUNTERPARTY);
  mapping->counterparty_account_column = GUESSED (ROLE_COUNTERPARTY_ACCOUNT);
  mapping->memo_column = GUESSED (ROLE_MEMO);
  mapping->remark_column = GUESSED (ROLE_REMARK);
#undef GUESSED

  return mapping;
}

/* The leading numbers of a date cell, for guessing its format. */
static void
date_groups (const char *text,
             guint      *a,
             guint      *na,
             guint      *b)
{
  const char *p = text;

  *a = *na = *b = 0;
  if (!read_number (&p, 8, a, na))
    return;
  if (skip_date_separator (&p))
    read_number (&p, 4, b, NULL);
}

/**
 * bb_statement_guess_mapping_for_data:
 * @data: a bank's CSV export
 * @error: return location for an error
 *
 * Finds the header row among the first lines (the first one naming a
 * date and an amount), guesses the columns as
 * bb_statement_guess_mapping() does and the date format from the dates
 * below it: year first when they start with four digits; else day first
 * unless a first number is a month only (over 12 in the second place).
 *
 * Returns: (transfer full): a mapping with header_line set, or %NULL with
 *   %BB_DB_ERROR_INVALID when no line looks like a header
 */
BbStatementMapping *
bb_statement_guess_mapping_for_data (GBytes  *data,
                                     GError **error)
{
  g_autoptr(BbCsvReader) reader = NULL;
  g_autoptr(BbStatementMapping) mapping = NULL;
  g_autoptr(GError) local_error = NULL;
  int date_index = -1;
  guint n_records = 0;
  gboolean year_first = FALSE, day_first = FALSE, month_first = FALSE;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader = bb_csv_reader_new (data, &local_error);
  if (reader == NULL)
    {
      g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID, local_error->message);
      return NULL;
    }

  while (n_records++ < MAX_PREAMBLE_RECORDS)
    {
      g_autoptr(GError) row_error = NULL;
      g_auto(GStrv) fields = NULL;
      guint line = 0;

      if (!bb_csv_reader_next (reader, &fields, &line, &row_error))
        {
          if (row_error == NULL)
            break;
          continue;
        }

      if (mapping == NULL)
        {
          g_autoptr(BbStatementMapping) guess = bb_statement_guess_mapping ((const char * const *) fields);

          if (is_set (guess->date_column) &&
              (is_set (guess->amount_column) || is_set (guess->credit_column) || is_set (guess->debit_column)))
            {
              g_autofree char *wanted = normalise_name (guess->date_column);

              guess->header_line = line;
              mapping = g_steal_pointer (&guess);
              for (guint i = 0; fields[i] != NULL; i++)
                {
                  g_autofree char *name = normalise_name (fields[i]);

                  if (g_str_equal (name, wanted))
                    {
                      date_index = (int) i;
                      break;
                    }
                }
            }
          continue;
        }

      /* The dates below the header say how they are written. */
      if (date_index >= 0 && (guint) date_index < g_strv_length (fields))
        {
          g_autofree char *cell = clean_cell (fields[date_index]);
          guint a, na, b;

          date_groups (cell, &a, &na, &b);
          if (na == 4 || na == 8)
            year_first = TRUE;
          else if (na >= 1 && na <= 2)
            {
              if (a > 12)
                day_first = TRUE;
              else if (b > 12)
                month_first = TRUE;
            }
        }
    }

  if (mapping == NULL)
    {
      g_set_error_literal (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                           _("No line of the file names a date and an amount column; "
                             "choose the header line and the columns by hand"));
      return NULL;
    }

  if (year_first)
    mapping->date_format = BB_STATEMENT_DATE_YMD;
  else if (month_first && !day_first)
    mapping->date_format = BB_STATEMENT_DATE_MDY;
  else if (day_first || month_first)
    mapping->date_format = BB_STATEMENT_DATE_DMY;

  return g_steal_pointer (&mapping);
}

/* The mapping's columns, by key, for the text form. */
#define MAPPING_COLUMNS(m) \
  { "date_column", &(m)->date_column }, \
  { "time_column", &(m)->time_column }, \
  { "amount_column", &(m)->amount_column }, \
  { "credit_column", &(m)->credit_column }, \
  { "debit_column", &(m)->debit_column }, \
  { "reference_column", &(m)->reference_column }, \
  { "counterparty_column", &(m)->counterparty_column }, \
  { "counterparty_account_column", &(m)->counterparty_account_column }, \
  { "memo_column", &(m)->memo_column }, \
  { "remark_column", &(m)->remark_column }

typedef struct
{
  const char  *key;
  char       **value;
} MappingField;

/**
 * bb_statement_mapping_to_text:
 *
 * Returns: (transfer full): @mapping as the text kept in the settings
 *   (a key file); bb_statement_mapping_from_text() reads it back
 */
char *
bb_statement_mapping_to_text (const BbStatementMapping *mapping)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  BbStatementMapping *m = (BbStatementMapping *) mapping;
  const MappingField fields[] = { MAPPING_COLUMNS (m) };

  g_return_val_if_fail (mapping != NULL, NULL);

  g_key_file_set_integer (file, MAPPING_GROUP, "version", MAPPING_VERSION);
  if (mapping->bank_name != NULL)
    g_key_file_set_string (file, MAPPING_GROUP, "bank_name", mapping->bank_name);
  g_key_file_set_uint64 (file, MAPPING_GROUP, "header_line", mapping->header_line);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (*fields[i].value != NULL)
      g_key_file_set_string (file, MAPPING_GROUP, fields[i].key, *fields[i].value);
  g_key_file_set_string (file, MAPPING_GROUP, "date_format",
                         bb_statement_date_format_to_string (mapping->date_format));

  return g_key_file_to_data (file, NULL, NULL);
}

/**
 * bb_statement_mapping_from_text:
 * @text: what bb_statement_mapping_to_text() wrote
 * @error: return location for an error
 *
 * Returns: (transfer full): the mapping, or %NULL with
 *   %BB_DB_ERROR_INVALID when @text is not one
 */
BbStatementMapping *
bb_statement_mapping_from_text (const char  *text,
                                GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(BbStatementMapping) mapping = bb_statement_mapping_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *format = NULL;
  const MappingField fields[] = { MAPPING_COLUMNS (mapping) };
  guint64 header_line;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_key_file_load_from_data (file, text, (gsize) -1, G_KEY_FILE_NONE, &local_error) ||
      !g_key_file_has_group (file, MAPPING_GROUP))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The remembered columns of the bank cannot be read: %s"),
                   local_error ? local_error->message : _("they are not a column mapping"));
      return NULL;
    }

  mapping->bank_name = g_key_file_get_string (file, MAPPING_GROUP, "bank_name", NULL);
  header_line = g_key_file_get_uint64 (file, MAPPING_GROUP, "header_line", NULL);
  mapping->header_line = (guint) MIN (header_line, G_MAXUINT);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i].value = g_key_file_get_string (file, MAPPING_GROUP, fields[i].key, NULL);

  format = g_key_file_get_string (file, MAPPING_GROUP, "date_format", NULL);
  if (format != NULL && !bb_statement_date_format_from_string (format, &mapping->date_format))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The remembered columns of the bank cannot be read: “%s” is not a date format"),
                   format);
      return NULL;
    }

  return g_steal_pointer (&mapping);
}

static char *
mapping_key (const char  *bank_name,
             GError     **error)
{
  g_autofree char *name = bb_text_strip (bank_name);

  if (*name == '\0')
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("%s: give the bank a name, so its columns are remembered"), _("Bank"));
      return NULL;
    }
  if (!bb_text_validate (name, _("Bank"), MAX_BANK_NAME_CHARS, FALSE, error))
    return NULL;

  return g_strconcat (MAPPING_KEY_PREFIX, name, NULL);
}

/**
 * bb_statement_mapping_save:
 * @db: the book
 * @mapping: a mapping that bb_statement_mapping_validate() accepts, with
 *   a bank_name
 * @error: return location for an error
 *
 * Remembers @mapping in the book's settings under its bank's name
 * (replacing what was remembered for that bank), so the next statement
 * of the bank is read without asking.
 *
 * Returns: %TRUE when saved
 */
gboolean
bb_statement_mapping_save (BbDb                      *db,
                           const BbStatementMapping  *mapping,
                           GError                   **error)
{
  g_autoptr(BbStatementMapping) copy = NULL;
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key = mapping_key (mapping->bank_name, error);
  if (key == NULL || !bb_statement_mapping_validate (mapping, error))
    return FALSE;

  copy = bb_statement_mapping_copy (mapping);
  g_free (copy->bank_name);
  copy->bank_name = g_strdup (key + strlen (MAPPING_KEY_PREFIX));
  text = bb_statement_mapping_to_text (copy);

  return bb_db_set_setting (db, key, text, error);
}

/**
 * bb_statement_mapping_load:
 * @db: the book
 * @bank_name: the name it was saved under
 * @error: return location for an error
 *
 * Returns: (transfer full): the remembered mapping, or %NULL with
 *   %BB_DB_ERROR_NOT_FOUND when none is
 */
BbStatementMapping *
bb_statement_mapping_load (BbDb        *db,
                           const char  *bank_name,
                           GError     **error)
{
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  BbStatementMapping *mapping;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = mapping_key (bank_name, error);
  if (key == NULL)
    return NULL;

  text = bb_db_get_setting (db, key);
  if (text == NULL)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_NOT_FOUND,
                   _("No columns are remembered for the bank “%s”"), key + strlen (MAPPING_KEY_PREFIX));
      return NULL;
    }

  mapping = bb_statement_mapping_from_text (text, error);
  if (mapping != NULL)
    {
      g_free (mapping->bank_name);
      mapping->bank_name = g_strdup (key + strlen (MAPPING_KEY_PREFIX));
    }

  return mapping;
}

/**
 * bb_statement_mapping_list_banks:
 *
 * Returns: (transfer full): the names of the banks whose columns are
 *   remembered, in order; %NULL with @error set when the book cannot be
 *   read
 */
GStrv
bb_statement_mapping_list_banks (BbDb    *db,
                                 GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_DB (db), NULL);

  stmt = _bb_db_prepare (db, "SELECT key FROM settings WHERE key > ?1 AND key < ?2 ORDER BY key", error);
  if (stmt == NULL)
    return NULL;
  _bb_stmt_bind_text (stmt, 1, MAPPING_KEY_PREFIX);
  _bb_stmt_bind_text (stmt, 2, MAPPING_KEY_END);

  while ((rc = _bb_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);

      if (key != NULL && g_str_has_prefix (key, MAPPING_KEY_PREFIX))
        g_strv_builder_add (builder, key + strlen (MAPPING_KEY_PREFIX));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_strv_builder_end (builder);
}

/**
 * bb_statement_mapping_forget:
 *
 * Forgets the columns remembered for @bank_name; nothing happens when
 * none are.
 *
 * Returns: %TRUE on success
 */
gboolean
bb_statement_mapping_forget (BbDb        *db,
                             const char  *bank_name,
                             GError     **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);

  key = mapping_key (bank_name, error);

  return key != NULL && bb_db_set_setting (db, key, NULL, error);
}

/* ---- Matching ------------------------------------------------------- */

void
bb_statement_match_options_init (BbStatementMatchOptions *options)
{
  g_return_if_fail (options != NULL);

  options->days_after_due = BB_STATEMENT_DEFAULT_DAYS_AFTER_DUE;
  options->max_candidates = BB_STATEMENT_DEFAULT_MAX_CANDIDATES;
}

/* Scores of the reasons: a bill number is the surest sign. */
#define SCORE_NUMBER    40
#define SCORE_AMOUNT    30
#define SCORE_CUSTOMER  20
#define SCORE_PARTLY    10
#define SCORE_DATE       5

/* The longest bill number looked for in a line's details, and how
 * much of the details is searched. */
#define MAX_NUMBER_BYTES 256
#define MAX_DETAILS_BYTES 4096

/*
 * Matching works on the open bills: issued, owing, no credit notes, in
 * the book's currency. They are read once per run through the partial
 * indexes of open bills (a shop with a million bills has tens of
 * thousands open), with the customers they belong to, and kept in
 * memory with three lookups: by amount, by number (a line's details are
 * searched for every open number, at word boundaries) and by who the
 * customer is (name or company, email, phone digits). A line then costs
 * hash lookups, not a walk over the bills.
 */
typedef struct _OpenCustomer OpenCustomer;

typedef struct
{
  gint64         id;
  char          *number;
  char          *issued_on;
  char          *due_on;
  char          *last_day;     /* due_on + the days after due */
  BbMoney        amount_read;  /* the open balance in the book */
  BbMoney        open;         /* less what earlier lines matched */
  OpenCustomer  *customer;
} OpenBill;

struct _OpenCustomer
{
  gint64      id;
  char       *code;
  char       *name;
  char       *name_key;      /* casefolded */
  char       *company_key;   /* casefolded */
  char       *email_key;     /* lower case */
  char       *phone_key;     /* digits, without +86 */
  GPtrArray  *bills;         /* (element-type OpenBill) (transfer none) */
};

typedef struct
{
  BbDb                     *db;
  BbStatementMatchOptions   options;
  const BbCurrency         *book_currency;

  gboolean                  loaded;
  GPtrArray                *bills;        /* OpenBill, owned */
  GHashTable               *customers;    /* id → OpenCustomer, owned */
  GHashTable               *by_number;    /* upper-case number → OpenBill */
  GHashTable               *by_amount;    /* BbMoney → GPtrArray of OpenBill */
  GHashTable               *by_who;       /* name, company, email or phone key → GPtrArray of OpenCustomer */
  gsize                     max_number;   /* bytes of the longest number */
} Matcher;

static void
open_bill_free (OpenBill *bill)
{
  g_free (bill->number);
  g_free (bill->issued_on);
  g_free (bill->due_on);
  g_free (bill->last_day);
  g_free (bill);
}

static void
open_customer_free (OpenCustomer *customer)
{
  g_free (customer->code);
  g_free (customer->name);
  g_free (customer->name_key);
  g_free (customer->company_key);
  g_free (customer->email_key);
  g_free (customer->phone_key);
  g_ptr_array_unref (customer->bills);
  g_free (customer);
}

static void
matcher_clear (Matcher *m)
{
  g_clear_pointer (&m->by_number, g_hash_table_unref);
  g_clear_pointer (&m->by_amount, g_hash_table_unref);
  g_clear_pointer (&m->by_who, g_hash_table_unref);
  g_clear_pointer (&m->bills, g_ptr_array_unref);
  g_clear_pointer (&m->customers, g_hash_table_unref);
}

/* Phone digits without the country code of China. */
static char *
phone_digits (const char *text)
{
  char *digits = bb_text_phone_digits (text);

  if (strlen (digits) == 13 && g_str_has_prefix (digits, "86"))
    memmove (digits, digits + 2, 12);

  return digits;
}

static void
multimap_add (GHashTable *map,
              gpointer    key,
              gpointer    value)
{
  GPtrArray *list = g_hash_table_lookup (map, key);

  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (map, key, list);
    }
  g_ptr_array_add (list, value);
}

static void
add_who (Matcher      *m,
         const char   *key,
         OpenCustomer *customer)
{
  GPtrArray *list;

  if (key == NULL || *key == '\0')
    return;

  list = g_hash_table_lookup (m->by_who, key);
  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (m->by_who, g_strdup (key), list);
    }
  if (list->len == 0 || g_ptr_array_index (list, list->len - 1) != customer)
    g_ptr_array_add (list, customer);
}

/* The last day of a bill's window, as text. */
static char *
window_end (const char *due_on,
            guint       days)
{
  GDate date;

  g_date_clear (&date, 1);
  if (!bb_date_parse (due_on, "due_on", &date, NULL))
    return g_strdup ("");
  if (days > 0)
    g_date_add_days (&date, MIN (days, 36500));

  return bb_date_to_iso (&date);
}

static gboolean
load_open_bills (Matcher  *m,
                 GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  m->loaded = TRUE;

  /* The customers with open bills… */
  stmt = _bb_db_prepare (m->db,
                         "SELECT id, code, name, company, phone, email FROM customers "
                         "WHERE id IN (SELECT customer_id FROM invoices "
                         "  WHERE status = 'issued' AND open_balance <> 0 AND open_balance > 0 "
                         "    AND kind <> 'credit_note' AND currency = ?1)",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, m->book_currency->code);

  while ((rc = _bb_db_step (m->db, stmt, error)) == SQLITE_ROW)
    {
      OpenCustomer *c = g_new0 (OpenCustomer, 1);
      const char *name = (const char *) sqlite3_column_text (stmt, 2);
      const char *company = (const char *) sqlite3_column_text (stmt, 3);
      const char *phone = (const char *) sqlite3_column_text (stmt, 4);
      const char *email = (const char *) sqlite3_column_text (stmt, 5);

      c->id = sqlite3_column_int64 (stmt, 0);
      c->code = _bb_stmt_dup_text (stmt, 1);
      c->name = g_strdup (name ? name : "");
      c->name_key = g_utf8_casefold (c->name, -1);
      c->company_key = g_utf8_casefold (company ? company : "", -1);
      c->email_key = g_ascii_strdown (email ? email : "", -1);
      c->phone_key = phone_digits (phone);
      c->bills = g_ptr_array_new ();
      g_hash_table_insert (m->customers, &c->id, c);

      add_who (m, c->name_key, c);
      add_who (m, c->company_key, c);
      add_who (m, c->email_key, c);
      if (strlen (c->phone_key) >= 7)
        add_who (m, c->phone_key, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  /* …and their open bills, through the partial indexes of open bills. */
  stmt = _bb_db_prepare (m->db,
                         "SELECT id, customer_id, number, issued_on, due_on, open_balance FROM invoices "
                         "WHERE status = 'issued' AND open_balance <> 0 AND open_balance > 0 "
                         "  AND kind <> 'credit_note' AND currency = ?1 "
                         "ORDER BY due_on, id",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, m->book_currency->code);

  while ((rc = _bb_db_step (m->db, stmt, error)) == SQLITE_ROW)
    {
      gint64 customer_id = sqlite3_column_int64 (stmt, 1);
      OpenCustomer *customer = g_hash_table_lookup (m->customers, &customer_id);
      OpenBill *bill;
      char *upper;

      if (customer == NULL)
        continue;

      bill = g_new0 (OpenBill, 1);
      bill->id = sqlite3_column_int64 (stmt, 0);
      bill->number = _bb_stmt_dup_text (stmt, 2);
      bill->issued_on = _bb_stmt_dup_text (stmt, 3);
      bill->due_on = _bb_stmt_dup_text (stmt, 4);
      bill->last_day = window_end (bill->due_on, m->options.days_after_due);
      bill->amount_read = sqlite3_column_int64 (stmt, 5);
      bill->open = bill->amount_read;
      bill->customer = customer;
      if (bill->number == NULL)
        bill->number = g_strdup ("");
      g_ptr_array_add (m->bills, bill);
      g_ptr_array_add (customer->bills, bill);

      multimap_add (m->by_amount, &bill->amount_read, bill);

      upper = g_ascii_strup (bill->number, -1);
      if (*upper != '\0' && !g_hash_table_contains (m->by_number, upper))
        {
          m->max_number = MAX (m->max_number, strlen (upper));
          g_hash_table_insert (m->by_number, upper, bill);
        }
      else
        g_free (upper);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
matcher_init (Matcher                        *m,
              BbDb                           *db,
              const BbStatementMatchOptions  *options)
{
  memset (m, 0, sizeof *m);
  m->db = db;
  if (options != NULL)
    m->options = *options;
  else
    bb_statement_match_options_init (&m->options);
  m->book_currency = bb_business_get_currency (db);
  m->bills = g_ptr_array_new_with_free_func ((GDestroyNotify) open_bill_free);
  m->customers = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) open_customer_free);
  m->by_number = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Keyed by the amount each bill had when read: a bill a line matched
   * owes nothing more, and is passed over by its open amount. */
  m->by_amount = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  m->by_who = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);

  return TRUE;
}

/* "*三", "张*", "138****8000": the visible start and end of @value, and
 * at least one character hidden. */
static gboolean
masked_fits (const char *pattern,
             const char *value,
             guint       min_visible)
{
  const char *first = strchr (pattern, '*');
  const char *last = strrchr (pattern, '*');
  g_autofree char *prefix = NULL;
  const char *suffix;
  glong n_prefix, n_suffix, n_value;

  if (first == NULL || *value == '\0')
    return FALSE;

  for (const char *p = first; p <= last; p++)
    if (*p != '*')
      return FALSE;

  prefix = g_strndup (pattern, first - pattern);
  suffix = last + 1;
  n_prefix = g_utf8_strlen (prefix, -1);
  n_suffix = g_utf8_strlen (suffix, -1);
  n_value = g_utf8_strlen (value, -1);

  if ((guint) (n_prefix + n_suffix) < min_visible || n_value <= n_prefix + n_suffix)
    return FALSE;

  return g_str_has_prefix (value, prefix) && g_str_has_suffix (value, suffix);
}

/* The counterparty's account as digits and stars ("138****8000"). */
static char *
masked_phone (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) || *p == '*')
      g_string_append_c (out, *p);

  return g_string_free (out, FALSE);
}

static gboolean
is_utf8_continuation (char c)
{
  return ((guchar) c & 0xC0) == 0x80;
}

/* What the line says about who paid, prepared once per line. */
typedef struct
{
  char *name;          /* counterparty, casefolded; "" */
  char *email;         /* an unmasked email account, lower case; "" */
  char *phone;         /* an unmasked phone account, digits; "" */
  char *masked_phone;  /* a masked phone account: digits and stars; "" */
  char *masked_email;  /* a masked email account, lower case; "" */
  char *text;          /* memo, remark and order number in upper case */
} LineKeys;

static void
line_keys_clear (LineKeys *keys)
{
  g_free (keys->name);
  g_free (keys->email);
  g_free (keys->phone);
  g_free (keys->masked_phone);
  g_free (keys->masked_email);
  g_free (keys->text);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LineKeys, line_keys_clear)

static void
line_keys_init (LineKeys              *keys,
                const BbStatementLine *line)
{
  const char *account = line->counterparty_account;
  g_autofree char *digits = bb_text_phone_digits (account);
  g_autofree char *joined = NULL;

  memset (keys, 0, sizeof *keys);
  keys->name = g_utf8_casefold (line->counterparty, -1);
  keys->email = g_strdup ("");
  keys->phone = g_strdup ("");
  keys->masked_phone = g_strdup ("");
  keys->masked_email = g_strdup ("");

  if (strchr (account, '@') != NULL && strchr (account, '*') != NULL)
    {
      g_free (keys->masked_email);
      keys->masked_email = g_ascii_strdown (account, -1);
    }
  else if (strchr (account, '@') != NULL)
    {
      g_free (keys->email);
      keys->email = g_ascii_strdown (account, -1);
    }
  else if (strchr (account, '*') != NULL)
    {
      g_free (keys->masked_phone);
      keys->masked_phone = masked_phone (account);
    }
  else if (strlen (digits) >= 7 && bb_text_is_phone (account))
    {
      g_free (keys->phone);
      keys->phone = phone_digits (account);
    }

  /* U+001F: a bill number is not found across two fields. */
  joined = g_strjoin ("\x1f", line->memo, line->remark, line->merchant_order_id, NULL);
  if (strlen (joined) > MAX_DETAILS_BYTES)
    {
      /* A bill number is in the first few lines someone wrote. */
      const char *end = joined + MAX_DETAILS_BYTES;

      while (end > joined && is_utf8_continuation (*end))
        end--;
      joined[end - joined] = '\0';
    }
  keys->text = g_ascii_strup (joined, -1);
}

/* A bill number may start here: not right after a letter or digit, and
 * at the start of a character. */
static gboolean
word_start (const char *text,
            gsize       i)
{
  return !is_utf8_continuation (text[i]) && text[i] != '\x1f' &&
         (i == 0 || !g_ascii_isalnum (text[i - 1]));
}

/* …and end here: not right before a letter or digit. */
static gboolean
word_end (const char *text,
          gsize       i)
{
  return !is_utf8_continuation (text[i]) && !g_ascii_isalnum (text[i]);
}

/* Every open bill whose number is in @text (upper case) as a whole word. */
static void
find_numbers (Matcher     *m,
              const char  *text,
              GHashTable  *found)
{
  gsize len = strlen (text);
  char scratch[MAX_NUMBER_BYTES + 1];

  if (g_hash_table_size (m->by_number) == 0)
    return;

  for (gsize start = 0; start < len; start++)
    {
      if (!word_start (text, start))
        continue;

      for (gsize end = start + 1; end <= len && end - start <= MIN (m->max_number, MAX_NUMBER_BYTES); end++)
        {
          OpenBill *bill;

          if (text[end - 1] == '\x1f')
            break;
          if (end < len && !word_end (text, end))
            continue;

          memcpy (scratch, text + start, end - start);
          scratch[end - start] = '\0';
          bill = g_hash_table_lookup (m->by_number, scratch);
          if (bill != NULL)
            g_hash_table_add (found, bill);
        }
    }
}

/* A bill weighed for a line. */
typedef struct
{
  OpenBill            *bill;
  BbStatementReasons   reasons;
  guint                score;
} Scored;

static void
weigh (Matcher                *m,
       const BbStatementLine  *line,
       const LineKeys         *keys,
       GHashTable             *numbered,
       OpenBill               *bill,
       Scored                 *out)
{
  const OpenCustomer *c = bill->customer;
  BbStatementReasons reasons = 0;
  guint score = 0;

  if (bill->open == line->amount)
    reasons |= BB_STATEMENT_REASON_AMOUNT;
  if (g_hash_table_contains (numbered, bill))
    reasons |= BB_STATEMENT_REASON_NUMBER;

  if (*keys->name != '\0' &&
      (g_str_equal (keys->name, c->name_key) || g_str_equal (keys->name, c->company_key)))
    reasons |= BB_STATEMENT_REASON_CUSTOMER;
  else if (*keys->email != '\0' && g_str_equal (keys->email, c->email_key))
    reasons |= BB_STATEMENT_REASON_CUSTOMER;
  else if (*keys->phone != '\0' && g_str_equal (keys->phone, c->phone_key))
    reasons |= BB_STATEMENT_REASON_CUSTOMER;
  else if (masked_fits (keys->name, c->name_key, 1) || masked_fits (keys->name, c->company_key, 1) ||
           masked_fits (keys->masked_phone, c->phone_key, 5) ||
           masked_fits (keys->masked_email, c->email_key, 3))
    reasons |= BB_STATEMENT_REASON_CUSTOMER_PARTLY;

  if (g_strcmp0 (bill->issued_on, line->date) <= 0 && g_strcmp0 (line->date, bill->last_day) <= 0)
    reasons |= BB_STATEMENT_REASON_DATE;

  if (reasons & BB_STATEMENT_REASON_NUMBER)
    score += SCORE_NUMBER;
  if (reasons & BB_STATEMENT_REASON_AMOUNT)
    score += SCORE_AMOUNT;
  if (reasons & BB_STATEMENT_REASON_CUSTOMER)
    score += SCORE_CUSTOMER;
  if (reasons & BB_STATEMENT_REASON_CUSTOMER_PARTLY)
    score += SCORE_PARTLY;
  if (reasons & BB_STATEMENT_REASON_DATE)
    score += SCORE_DATE;

  out->bill = bill;
  out->reasons = reasons;
  out->score = score;
}

static gboolean
is_candidate (const Scored *s)
{
  return s->bill->open > 0 &&
         (s->reasons & (BB_STATEMENT_REASON_AMOUNT | BB_STATEMENT_REASON_NUMBER |
                        BB_STATEMENT_REASON_CUSTOMER | BB_STATEMENT_REASON_CUSTOMER_PARTLY)) != 0;
}

/* The amount and the bill's number in the details. */
static gboolean
is_strong_by_number (const Scored *s)
{
  return (s->reasons & BB_STATEMENT_REASON_AMOUNT) && (s->reasons & BB_STATEMENT_REASON_NUMBER);
}

/* The amount, from the bill's customer, in the bill's window. */
static gboolean
is_strong_by_customer (const Scored *s)
{
  return (s->reasons & BB_STATEMENT_REASON_AMOUNT) &&
         (s->reasons & BB_STATEMENT_REASON_CUSTOMER) && (s->reasons & BB_STATEMENT_REASON_DATE);
}

static gint
compare_scored (gconstpointer a,
                gconstpointer b)
{
  const Scored *sa = a;
  const Scored *sb = b;
  int c;

  if (sa->score != sb->score)
    return sa->score > sb->score ? -1 : 1;
  c = g_strcmp0 (sa->bill->due_on, sb->bill->due_on);
  if (c != 0)
    return c;
  return sa->bill->id < sb->bill->id ? -1 : sa->bill->id > sb->bill->id;
}

static char *
explain (BbStatementReasons reasons,
         guint              days_after_due)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (reasons & BB_STATEMENT_REASON_NUMBER)
    g_ptr_array_add (parts, g_strdup (_("its number is in the details")));
  if (reasons & BB_STATEMENT_REASON_AMOUNT)
    g_ptr_array_add (parts, g_strdup (_("the amount is what it still owes")));
  if (reasons & BB_STATEMENT_REASON_CUSTOMER)
    g_ptr_array_add (parts, g_strdup (_("paid by its customer")));
  if (reasons & BB_STATEMENT_REASON_CUSTOMER_PARTLY)
    g_ptr_array_add (parts, g_strdup (_("the payer may be its customer")));
  if (reasons & BB_STATEMENT_REASON_DATE)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "paid between its issue and %u day after it fell due",
                                                          "paid between its issue and %u days after it fell due",
                                                          days_after_due),
                                             days_after_due));
  g_ptr_array_add (parts, NULL);

  /* Translators: the separator of the reasons a bill is suggested */
  return g_strjoinv (_("; "), (char **) parts->pdata);
}

static BbStatementCandidate *
candidate_new (Matcher      *m,
               const Scored *s)
{
  BbStatementCandidate *c = g_new0 (BbStatementCandidate, 1);

  c->invoice_id = s->bill->id;
  c->invoice_number = g_strdup (s->bill->number);
  c->customer_id = s->bill->customer->id;
  c->customer_code = g_strdup (s->bill->customer->code);
  c->customer_name = g_strdup (s->bill->customer->name);
  c->issued_on = g_strdup (s->bill->issued_on);
  c->due_on = g_strdup (s->bill->due_on);
  c->open_balance = s->bill->open;
  c->reasons = s->reasons;
  c->score = s->score;
  c->explanation = explain (s->reasons, m->options.days_after_due);

  return c;
}

static void
add_bills (GHashTable *set,
           GPtrArray  *bills)
{
  for (guint i = 0; bills != NULL && i < bills->len; i++)
    g_hash_table_add (set, g_ptr_array_index (bills, i));
}

static void
add_customers_bills (GHashTable *set,
                     GPtrArray  *customers)
{
  for (guint i = 0; customers != NULL && i < customers->len; i++)
    add_bills (set, ((OpenCustomer *) g_ptr_array_index (customers, i))->bills);
}

/* Matches one line: its candidates, weighed and ranked, and the
 * outcome. */
static gboolean
match_line (Matcher           *m,
            BbStatementMatch  *match,
            GError           **error)
{
  const BbStatementLine *line = match->line;
  g_auto(LineKeys) keys = { 0 };
  g_autoptr(GHashTable) numbered = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) bills = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) scored = g_array_new (FALSE, FALSE, sizeof (Scored));
  gboolean (*strong) (const Scored *) = is_strong_by_number;
  const Scored *best = NULL;
  guint n_strong = 0;
  guint keep;
  GHashTableIter iter;
  gpointer key;

  if (!m->loaded && !load_open_bills (m, error))
    return FALSE;

  line_keys_init (&keys, line);

  /* The bills to weigh: by amount, by number, by customer. */
  find_numbers (m, keys.text, numbered);
  add_bills (bills, g_hash_table_lookup (m->by_amount, &line->amount));
  g_hash_table_iter_init (&iter, numbered);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (bills, key);
  add_customers_bills (bills, g_hash_table_lookup (m->by_who, keys.name));
  add_customers_bills (bills, g_hash_table_lookup (m->by_who, keys.email));
  add_customers_bills (bills, g_hash_table_lookup (m->by_who, keys.phone));

  g_hash_table_iter_init (&iter, bills);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Scored s;

      weigh (m, line, &keys, numbered, key, &s);
      if (is_candidate (&s))
        g_array_append_val (scored, s);
    }
  g_array_sort (scored, compare_scored);

  /* A bill whose number the payer wrote wins; only when no bill has its
   * number there does the customer decide. */
  for (guint pass = 0; pass < 2 && n_strong == 0; pass++)
    {
      strong = pass == 0 ? is_strong_by_number : is_strong_by_customer;
      for (guint i = 0; i < scored->len; i++)
        {
          const Scored *s = &g_array_index (scored, Scored, i);

          if (strong (s))
            {
              if (n_strong++ == 0)
                best = s;
            }
        }
    }

  keep = m->options.max_candidates > 0 ? m->options.max_candidates : G_MAXUINT;
  if (n_strong == 1)
    {
      BbStatementCandidate *c = candidate_new (m, best);

      /* The match first (a bill with its number in the details but
       * another amount may score higher). */
      g_ptr_array_add (match->candidates, c);
      match->outcome = BB_STATEMENT_MATCHED;
      match->invoice_id = c->invoice_id;
      match->customer_id = c->customer_id;
      match->reason = g_strdup_printf (_("Pays bill %s of %s: %s"),
                                       c->invoice_number, c->customer_name, c->explanation);
      best->bill->open -= line->amount;
    }
  else if (n_strong > 1)
    {
      match->outcome = BB_STATEMENT_SUGGESTED;
      match->reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                    "%u bill fits as well as the others; choose the one it pays",
                                                    "%u bills fit equally well; choose the one it pays",
                                                    n_strong),
                                       n_strong);
      keep = MAX (keep, n_strong);
    }
  else if (scored->len > 0)
    {
      match->outcome = BB_STATEMENT_SUGGESTED;
      match->reason = g_strdup (_("No bill fits for certain; choose one of the suggestions, or a customer"));
    }
  else
    {
      g_autofree char *amount = bb_money_format (line->amount, m->book_currency);

      match->outcome = BB_STATEMENT_UNMATCHED;
      match->reason = g_strdup_printf (_("No open bill owes %s, and the details name no bill or customer "
                                         "of the book; choose the customer it is from, or leave it"),
                                       amount);
    }

  for (guint i = 0; i < scored->len && match->candidates->len < keep; i++)
    {
      const Scored *s = &g_array_index (scored, Scored, i);

      if (s != best || n_strong != 1)
        g_ptr_array_add (match->candidates, candidate_new (m, s));
    }

  return TRUE;
}

/* The payment a transaction became, if it was imported. */
static gboolean
find_import (BbDb                   *db,
             const BbStatementLine  *line,
             gint64                 *payment_id,
             char                  **imported_at,
             GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *payment_id = 0;
  stmt = _bb_db_prepare (db,
                         "SELECT payment_id, created_at FROM statement_imports "
                         "WHERE platform = ?1 AND account = ?2 AND transaction_id = ?3",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, bb_statement_platform_to_string (line->platform));
  _bb_stmt_bind_text (stmt, 2, line->account);
  _bb_stmt_bind_text (stmt, 3, line->transaction_id);

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      *payment_id = sqlite3_column_int64 (stmt, 0);
      if (imported_at != NULL)
        *imported_at = _bb_stmt_dup_text (stmt, 1);
    }
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static gint
compare_by_time (gconstpointer a,
                 gconstpointer b)
{
  const BbStatementMatch *ma = *(const BbStatementMatch * const *) a;
  const BbStatementMatch *mb = *(const BbStatementMatch * const *) b;
  int c = g_strcmp0 (ma->line->time, mb->line->time);

  if (c != 0)
    return c;
  return ma->line->line < mb->line->line ? -1 : ma->line->line > mb->line->line;
}

/**
 * bb_statement_match:
 * @db: the book
 * @statement: a statement read without problems
 * @options: (nullable): the date window and how many suggestions; %NULL
 *   for the defaults (bb_statement_match_options_init())
 * @progress: (nullable) (scope call): called after each line
 * @progress_data: data for @progress
 * @cancellable: (nullable): checked between lines
 * @error: return location for an error
 *
 * Matches each line of @statement to the open bills of the book:
 * %BB_STATEMENT_SKIPPED for lines that are not money received,
 * %BB_STATEMENT_ALREADY_IMPORTED for transactions that are payments
 * already, %BB_STATEMENT_MATCHED when exactly one open issued bill in
 * the statement's currency has the amount as its open balance and
 * either its number in the memo, remark or order number, or its
 * customer as the counterparty (name, company, phone or email) and the
 * date from its issue to @options' days after it fell due (a bill whose
 * number is in the details wins over bills that fit by customer);
 * %BB_STATEMENT_SUGGESTED with the bills ranked by their reasons when
 * any fit in part (amount, number, customer, masked name or phone),
 * else %BB_STATEMENT_UNMATCHED. Lines are taken oldest first, and a bill
 * a line matched owes that much less to the later ones. Nothing is
 * written.
 *
 * Returns: (transfer full) (element-type BbStatementMatch): one match per
 *   line, in the statement's order; %NULL with @error set
 */
GPtrArray *
bb_statement_match (BbDb                           *db,
                    BbStatement                    *statement,
                    const BbStatementMatchOptions  *options,
                    BbImportProgress                progress,
                    gpointer                        progress_data,
                    GCancellable                   *cancellable,
                    GError                        **error)
{
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GPtrArray) by_time = NULL;
  Matcher m;
  gboolean ok = TRUE;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (statement != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  matcher_init (&m, db, options);

  matches = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_statement_match_free);
  by_time = g_ptr_array_new ();
  for (guint i = 0; i < statement->lines->len; i++)
    {
      BbStatementMatch *match = g_new0 (BbStatementMatch, 1);

      match->line = bb_statement_line_ref (g_ptr_array_index (statement->lines, i));
      match->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_statement_candidate_free);
      g_ptr_array_add (matches, match);
      g_ptr_array_add (by_time, match);
    }
  g_ptr_array_sort (by_time, compare_by_time);

  if (progress != NULL)
    progress (0, by_time->len, progress_data);

  /* One snapshot of the book for all lines. */
  if (!_bb_db_exec (db, "SAVEPOINT statement_match", error))
    ok = FALSE;

  for (guint i = 0; ok && i < by_time->len; i++)
    {
      BbStatementMatch *match = g_ptr_array_index (by_time, i);
      const BbStatementLine *line = match->line;
      g_autofree char *imported_at = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }

      if (!line->candidate)
        {
          match->outcome = BB_STATEMENT_SKIPPED;
          match->reason = g_strdup (line->skip_reason);
        }
      else if (!find_import (db, line, &match->imported_payment_id, &imported_at, error))
        ok = FALSE;
      else if (match->imported_payment_id != 0)
        {
          match->outcome = BB_STATEMENT_ALREADY_IMPORTED;
          match->reason = g_strdup_printf (_("Imported already (on %.10s); it is a payment of the book"),
                                           imported_at ? imported_at : "");
        }
      else if (g_strcmp0 (line->currency, m.book_currency->code) != 0)
        {
          match->outcome = BB_STATEMENT_UNMATCHED;
          match->reason = g_strdup_printf (_("The statement is in %s, the book in %s"),
                                           line->currency, m.book_currency->code);
        }
      else if (!match_line (&m, match, error))
        ok = FALSE;

      if (progress != NULL)
        progress (i + 1, by_time->len, progress_data);
    }

  _bb_db_exec (db, "RELEASE statement_match", NULL);
  matcher_clear (&m);

  if (!ok)
    return NULL;

  return g_steal_pointer (&matches);
}

/**
 * bb_statement_match_choose:
 * @match: a match with candidates
 * @candidate: the index of the bill in @match's candidates
 *
 * Makes @match pay that bill (and its customer) when confirmed.
 *
 * Returns: %FALSE when there is no such candidate
 */
gboolean
bb_statement_match_choose (BbStatementMatch *match,
                           guint             candidate)
{
  BbStatementCandidate *c;

  g_return_val_if_fail (match != NULL, FALSE);

  if (match->candidates == NULL || candidate >= match->candidates->len)
    return FALSE;

  c = g_ptr_array_index (match->candidates, candidate);
  match->invoice_id = c->invoice_id;
  match->customer_id = c->customer_id;
  return TRUE;
}

/**
 * bb_statement_match_choose_customer:
 * @match: a match
 * @customer_id: the customer the money is from
 *
 * Makes @match a payment of @customer_id with no bill chosen: confirmed,
 * it pays the customer's open bills oldest due first, as a payment
 * recorded on the customer does, and what is left is their credit.
 */
void
bb_statement_match_choose_customer (BbStatementMatch *match,
                                    gint64            customer_id)
{
  g_return_if_fail (match != NULL);

  match->invoice_id = 0;
  match->customer_id = customer_id;
}

/* ---- Confirming ----------------------------------------------------- */

/* What confirming needs of an accepted match; copied, so that an
 * asynchronous confirmation does not depend on the caller's matches. */
typedef struct
{
  BbStatementLine    *line;
  BbStatementOutcome  outcome;
  gint64              invoice_id;
  gint64              customer_id;
} Accepted;

static void
accepted_free (Accepted *a)
{
  bb_statement_line_unref (a->line);
  g_free (a);
}

static GPtrArray *
copy_accepted (GPtrArray *matches)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) accepted_free);

  for (guint i = 0; i < matches->len; i++)
    {
      BbStatementMatch *match = g_ptr_array_index (matches, i);
      Accepted *a = g_new0 (Accepted, 1);

      a->line = bb_statement_line_ref (match->line);
      a->outcome = match->outcome;
      a->invoice_id = match->invoice_id;
      a->customer_id = match->customer_id;
      g_ptr_array_add (out, a);
    }

  return out;
}

/* The payment's note: where the money came from and what it said. */
static char *
payment_note (const BbStatementLine *line)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *note = NULL;
  const char *source = line->platform == BB_STATEMENT_BANK && *line->account != '\0'
                       ? line->account : bb_statement_platform_label (line->platform);
  const char *fields[] = { line->counterparty, line->memo, line->remark };

  g_ptr_array_add (parts, (gpointer) source);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (*fields[i] != '\0')
      g_ptr_array_add (parts, (gpointer) fields[i]);
  g_ptr_array_add (parts, NULL);

  note = g_strjoinv (" · ", (char **) parts->pdata);
  if (g_utf8_strlen (note, -1) > MAX_NOTE_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (note, MAX_NOTE_CHARS);

      *end = '\0';
    }

  return g_steal_pointer (&note);
}

static void
set_line_error (GError         **error,
                const Accepted  *a,
                const char      *message)
{
  g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
               /* Translators: "Line 7 (Alipay 2024…): …; nothing was recorded" */
               _("Line %u (%s %s): %s; nothing was recorded"),
               a->line->line, bb_statement_platform_label (a->line->platform),
               a->line->transaction_id, message);
}

static gboolean
confirm_one (BbDb         *db,
             const Accepted *a,
             GHashTable   *touched,
             GError      **error)
{
  const BbStatementLine *line = a->line;
  const BbCurrency *currency = bb_business_get_currency (db);
  g_autoptr(BbPayment) payment = NULL;
  g_autoptr(GPtrArray) allocations = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 imported = 0;
  gint64 customer_id = a->customer_id;
  sqlite3_stmt *stmt;

  if (!line->candidate)
    {
      set_line_error (error, a, line->skip_reason);
      return FALSE;
    }
  if (a->invoice_id == 0 && a->customer_id == 0)
    {
      set_line_error (error, a, _("choose the bill or the customer the money is from"));
      return FALSE;
    }
  if (g_strcmp0 (line->currency, currency->code) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("the statement is in %s, the book in %s"),
                                                  line->currency, currency->code);

      set_line_error (error, a, message);
      return FALSE;
    }

  if (!find_import (db, line, &imported, NULL, error))
    return FALSE;
  if (imported != 0)
    {
      set_line_error (error, a, _("this transaction was imported already"));
      return FALSE;
    }

  if (a->invoice_id != 0)
    {
      g_autofree char *number = NULL;
      g_autofree char *status = NULL;
      BbMoney open = 0;
      int rc;

      stmt = _bb_db_prepare (db, "SELECT customer_id, number, status, open_balance FROM invoices WHERE id = ?1",
                             error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, a->invoice_id);
      rc = _bb_db_step (db, stmt, error);
      if (rc == SQLITE_ROW)
        {
          customer_id = sqlite3_column_int64 (stmt, 0);
          number = _bb_stmt_dup_text (stmt, 1);
          status = _bb_stmt_dup_text (stmt, 2);
          open = sqlite3_column_int64 (stmt, 3);
        }
      sqlite3_reset (stmt);

      if (rc < 0)
        return FALSE;
      if (rc != SQLITE_ROW)
        {
          set_line_error (error, a, _("the bill no longer exists"));
          return FALSE;
        }
      if (a->customer_id != 0 && a->customer_id != customer_id)
        {
          g_autofree char *message = g_strdup_printf (_("bill %s is for another customer"), number);

          set_line_error (error, a, message);
          return FALSE;
        }
      if (g_strcmp0 (status, "issued") != 0)
        {
          g_autofree char *message = g_strcmp0 (status, "void") == 0
                                     ? g_strdup_printf (_("bill %s is void"), number)
                                     : g_strdup (_("the bill is not issued"));

          set_line_error (error, a, message);
          return FALSE;
        }
      if (open <= 0)
        {
          g_autofree char *message = g_strdup_printf (_("bill %s is paid already"), number);

          set_line_error (error, a, message);
          return FALSE;
        }

      /* What the bill does not take is the customer's credit (the
       * payment path checks the bill again: customer, currency…). */
      allocations = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allocation_free);
      g_ptr_array_add (allocations, bb_allocation_new (a->invoice_id, MIN (line->amount, open)));
    }

  payment = bb_payment_new ();
  payment->customer_id = customer_id;
  g_free (payment->received_on);
  payment->received_on = g_strdup (line->date);
  payment->amount = line->amount;
  payment->method = bb_statement_platform_method (line->platform);
  g_free (payment->reference);
  payment->reference = g_strdup (line->transaction_id);
  g_free (payment->note);
  payment->note = payment_note (line);

  if (!_bb_payments_insert (db, payment, allocations, &local_error))
    {
      set_line_error (error, a, local_error->message);
      return FALSE;
    }

  stmt = _bb_db_prepare (db,
                         "INSERT INTO statement_imports (platform, account, transaction_id, payment_id, "
                         "  occurred_at, amount, created_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         error);
  if (stmt == NULL)
    return FALSE;
  {
    g_autofree char *now = _bb_db_now_utc ();

    _bb_stmt_bind_text (stmt, 1, bb_statement_platform_to_string (line->platform));
    _bb_stmt_bind_text (stmt, 2, line->account);
    _bb_stmt_bind_text (stmt, 3, line->transaction_id);
    sqlite3_bind_int64 (stmt, 4, payment->id);
    _bb_stmt_bind_text (stmt, 5, line->time);
    sqlite3_bind_int64 (stmt, 6, line->amount);
    _bb_stmt_bind_text (stmt, 7, now);
  }
  if (!_bb_db_step_done (db, stmt, &local_error))
    {
      /* The unique key: the same transaction twice in what was accepted,
       * or imported by another window meanwhile. */
      if (g_error_matches (local_error, BB_DB_ERROR, BB_DB_ERROR_CONSTRAINT))
        set_line_error (error, a, _("this transaction was imported already"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  {
    gint64 *key = g_new (gint64, 1);

    *key = customer_id;
    g_hash_table_add (touched, key);
  }

  return TRUE;
}

static gboolean
confirm_all (BbDb              *db,
             GPtrArray         *accepted,
             BbImportProgress   progress,
             gpointer           progress_data,
             GCancellable      *cancellable,
             guint             *n_recorded,
             GError           **error)
{
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *detail = NULL;
  GHashTableIter iter;
  gint64 *customer_id;
  guint n_payments = 0;
  GString *platforms = g_string_new (NULL);

  if (n_recorded != NULL)
    *n_recorded = 0;

  if (!bb_db_begin (db, error))
    {
      g_string_free (platforms, TRUE);
      return FALSE;
    }

  for (guint i = 0; i < accepted->len; i++)
    {
      const Accepted *a = g_ptr_array_index (accepted, i);
      const char *platform = bb_statement_platform_to_string (a->line->platform);

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !confirm_one (db, a, touched, error))
        goto fail;

      n_payments++;
      if (strstr (platforms->str, platform) == NULL)
        g_string_append_printf (platforms, "%s%s", platforms->len ? ", " : "", platform);
      if (progress != NULL)
        progress (i + 1, accepted->len, progress_data);
    }

  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, (gpointer *) &customer_id, NULL))
    if (!_bb_customers_refresh_summary (db, *customer_id, error))
      goto fail;

  detail = g_strdup_printf ("%u from statement (%s)", n_payments, platforms->str);
  if (!_bb_db_audit (db, "import", "payments", 0, detail, error))
    goto fail;

  if (n_payments > 0)
    {
      bb_db_emit_changed (db, "payments", 0);
      bb_db_emit_changed (db, "invoices", 0);
      bb_db_emit_changed (db, "customers", 0);
    }

  if (!bb_db_commit (db, error))
    goto fail;

  g_string_free (platforms, TRUE);
  if (n_recorded != NULL)
    *n_recorded = n_payments;
  return TRUE;

fail:
  bb_db_rollback (db);
  g_string_free (platforms, TRUE);
  return FALSE;
}

/**
 * bb_statement_confirm:
 * @db: the book
 * @accepted: (element-type BbStatementMatch): the matches to record:
 *   matched ones, and others whose bill or customer was chosen
 *   (bb_statement_match_choose(), bb_statement_match_choose_customer())
 * @n_recorded: (out) (optional): the payments recorded
 * @error: return location for an error
 *
 * Records each accepted line as a payment, all in one transaction: of
 * the bill's customer (or the chosen customer), received on the
 * transaction's day, its amount, method alipay, wechat_pay or
 * bank_transfer, the transaction number as its reference and where it
 * came from as its note; allocated to the chosen bill for as much as the
 * bill still owes (the rest is the customer's credit), or, with only a
 * customer chosen, to their open bills oldest due first. Each
 * transaction is noted in statement_imports, whose unique key refuses it
 * a second time. If any line cannot be recorded (not money received, no
 * bill or customer chosen, the bill paid or void meanwhile, imported
 * already, also by another window), nothing is, and @error names the
 * line and the transaction.
 *
 * Returns: %TRUE when every accepted line was recorded
 */
gboolean
bb_statement_confirm (BbDb       *db,
                      GPtrArray  *accepted,
                      guint      *n_recorded,
                      GError    **error)
{
  g_autoptr(GPtrArray) copies = NULL;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (accepted != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  copies = copy_accepted (accepted);
  return confirm_all (db, copies, NULL, NULL, NULL, n_recorded, error);
}

/* ---- In a thread ---------------------------------------------------- */

typedef struct
{
  char                    *path;
  BbStatement             *statement;
  BbStatementMatchOptions  options;
  gboolean                 has_options;
  GPtrArray               *accepted;    /* (element-type Accepted) */
  BbProgressRelay         *relay;
  guint                    n_recorded;
} TaskData;

static void
task_data_free (TaskData *td)
{
  g_free (td->path);
  g_clear_pointer (&td->statement, bb_statement_unref);
  g_clear_pointer (&td->accepted, g_ptr_array_unref);
  g_clear_pointer (&td->relay, _bb_progress_relay_unref);
  g_free (td);
}

static TaskData *
task_data_new (BbDb             *db,
               GTask            *task,
               BbImportProgress  progress,
               gpointer          progress_data)
{
  TaskData *td = g_new0 (TaskData, 1);

  td->path = g_strdup (bb_db_get_path (db));
  if (progress != NULL)
    td->relay = _bb_progress_relay_new (progress, progress_data, g_task_get_context (task), "[billbook] statement progress");
  g_task_set_task_data (task, td, (GDestroyNotify) task_data_free);

  return td;
}

static void
match_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TaskData *td = task_data;
  g_autoptr(BbDb) db = NULL;
  GPtrArray *matches;
  GError *error = NULL;

  /* Its own connection: the caller's stays free for the window. */
  db = bb_db_open (td->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  matches = bb_statement_match (db, td->statement, td->has_options ? &td->options : NULL,
                                td->relay ? _bb_progress_relay_report : NULL, td->relay,
                                cancellable, &error);
  if (matches == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, matches, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * bb_statement_match_async:
 * @progress: (nullable): called on the thread-default main context of
 *   the caller, never after bb_statement_match_finish()
 *
 * Runs bb_statement_match() in a thread with a connection of its own.
 */
void
bb_statement_match_async (BbDb                           *db,
                          BbStatement                    *statement,
                          const BbStatementMatchOptions  *options,
                          BbImportProgress                progress,
                          gpointer                        progress_data,
                          GCancellable                   *cancellable,
                          GAsyncReadyCallback             callback,
                          gpointer                        user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *td;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (statement != NULL);

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_statement_match_async);
  g_task_set_name (task, "[billbook] match statement");

  td = task_data_new (db, task, progress, progress_data);
  td->statement = bb_statement_ref (statement);
  if (options != NULL)
    {
      td->options = *options;
      td->has_options = TRUE;
    }

  g_task_run_in_thread (task, match_thread);
}

/**
 * bb_statement_match_finish:
 *
 * Returns: (transfer full) (element-type BbStatementMatch): as
 *   bb_statement_match()
 */
GPtrArray *
bb_statement_match_finish (BbDb          *db,
                           GAsyncResult  *result,
                           GError       **error)
{
  TaskData *td;

  g_return_val_if_fail (BB_IS_DB (db), NULL);
  g_return_val_if_fail (g_task_is_valid (result, db), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_statement_match_async, NULL);

  td = g_task_get_task_data (G_TASK (result));
  if (td->relay != NULL)
    _bb_progress_relay_finish (td->relay);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
confirm_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TaskData *td = task_data;
  g_autoptr(BbDb) db = NULL;
  GError *error = NULL;

  db = bb_db_open (td->path, &error);
  if (db == NULL || !confirm_all (db, td->accepted, td->relay ? _bb_progress_relay_report : NULL, td->relay,
                                  cancellable, &td->n_recorded, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * bb_statement_confirm_async:
 * @accepted: (element-type BbStatementMatch): as for
 *   bb_statement_confirm(); copied, so it may change afterwards
 * @cancellable: (nullable): cancelling records nothing
 *
 * Runs bb_statement_confirm() in a thread with a connection of its own.
 */
void
bb_statement_confirm_async (BbDb                *db,
                            GPtrArray           *accepted,
                            BbImportProgress     progress,
                            gpointer             progress_data,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *td;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (accepted != NULL);

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_statement_confirm_async);
  g_task_set_name (task, "[billbook] confirm statement");
  /* Recorded stays recorded even when Cancel came a moment too late. */
  g_task_set_check_cancellable (task, FALSE);

  td = task_data_new (db, task, progress, progress_data);
  td->accepted = copy_accepted (accepted);

  g_task_run_in_thread (task, confirm_thread);
}

/**
 * bb_statement_confirm_finish:
 * @n_recorded: (out) (optional): the payments recorded
 *
 * After a committed confirmation, announces the change on @db ("changed"
 * signal, tables "payments", "invoices" and "customers").
 *
 * Returns: as bb_statement_confirm()
 */
gboolean
bb_statement_confirm_finish (BbDb          *db,
                             GAsyncResult  *result,
                             guint         *n_recorded,
                             GError       **error)
{
  TaskData *td;
  gboolean ok;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_statement_confirm_async, FALSE);

  td = g_task_get_task_data (G_TASK (result));
  if (td->relay != NULL)
    _bb_progress_relay_finish (td->relay);

  ok = g_task_propagate_boolean (G_TASK (result), error);
  if (n_recorded != NULL)
    *n_recorded = ok ? td->n_recorded : 0;

  if (ok && td->n_recorded > 0)
    {
      bb_db_emit_changed (db, "payments", 0);
      bb_db_emit_changed (db, "invoices", 0);
      bb_db_emit_changed (db, "customers", 0);
    }

  return ok;
}
