/* bb-statement.h — statement reconciliation: Alipay, WeChat Pay and bank
 * statements read, matched to open bills and turned into payments
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bb-customer-io.h"
#include "bb-db.h"
#include "bb-money.h"
#include "bb-payment.h"

G_BEGIN_DECLS

/* Where a statement comes from. Written in the book as
 * bb_statement_platform_to_string() gives it. */
typedef enum
{
  BB_STATEMENT_ALIPAY,
  BB_STATEMENT_WECHAT_PAY,
  BB_STATEMENT_BANK,
} BbStatementPlatform;

/* Which way the money went, as the statement says. */
typedef enum
{
  BB_STATEMENT_INCOME,
  BB_STATEMENT_EXPENSE,
  BB_STATEMENT_NEITHER,        /* 不计收支, 中性交易, a transfer between own accounts */
} BbStatementDirection;

/* One transaction of a statement, as read. Immutable and reference
 * counted; every string is UTF-8 without blanks at the ends, never NULL
 * (empty when the file has nothing, or only "/", there). */
typedef struct
{
  guint                 line;                 /* physical line in the file, 1-based */
  BbStatementPlatform   platform;
  char                 *account;              /* bank: the bank's name; else "" */
  char                 *currency;             /* ISO 4217 of the amount: "CNY" */
  char                 *transaction_id;       /* the platform's (bank: see bb_statement_read_bank()) */
  char                 *merchant_order_id;    /* 商户单号 / 商家订单号 */
  char                 *time;                 /* "YYYY-MM-DD HH:MM:SS", or "YYYY-MM-DD" with no time */
  char                 *date;                 /* YYYY-MM-DD */
  BbMoney               amount;               /* > 0, in minor units; @direction says which way */
  BbStatementDirection  direction;
  char                 *kind;                 /* 交易类型 / 交易分类 / 类型 */
  char                 *counterparty;         /* 交易对方, 对方户名 */
  char                 *counterparty_account; /* 对方账号: often masked, "138****8000" */
  char                 *memo;                 /* 商品 / 商品说明 / 摘要 */
  char                 *remark;               /* 备注 / 附言 */
  char                 *status;               /* 交易状态 / 当前状态, as written */
  gboolean              candidate;            /* money received, completed: may become a payment */
  char                 *skip_reason;          /* why not a candidate (for the user); NULL when it is */
} BbStatementLine;

/* A statement file, read. */
typedef struct
{
  BbStatementPlatform   platform;
  char                 *account;              /* bank: its name; else "" */
  char                 *currency;
  guint                 header_line;          /* the line naming the columns; 0 if none was found */
  guint                 n_rows;               /* data rows read, good or bad */
  GPtrArray            *lines;                /* (element-type BbStatementLine): file order */
  GPtrArray            *problems;             /* (element-type BbImportProblem): every bad line and column */
} BbStatement;

typedef enum
{
  BB_STATEMENT_DATE_YMD,       /* 2024-01-05, 2024/1/5, 2024.01.05, 20240105, 2024年1月5日 */
  BB_STATEMENT_DATE_DMY,       /* 05/01/2024, 5.1.2024 */
  BB_STATEMENT_DATE_MDY,       /* 01/05/2024 */
} BbStatementDateFormat;

/* Which columns of a bank's CSV file hold what. Columns are named as in
 * the file's header row (compared without case, blanks and a
 * parenthesised unit such as "(元)"). Either @amount_column (money in
 * positive, money out negative) or @credit_column and/or @debit_column
 * (money in / money out, both positive) give the amount. */
typedef struct
{
  char                   *bank_name;          /* remembered under this name */
  guint                   header_line;        /* the header row's line; 0: the first non-empty line */
  char                   *date_column;
  char                   *time_column;        /* optional */
  char                   *amount_column;
  char                   *credit_column;
  char                   *debit_column;
  char                   *reference_column;   /* the bank's transaction number; optional */
  char                   *counterparty_column;
  char                   *counterparty_account_column;
  char                   *memo_column;
  char                   *remark_column;
  BbStatementDateFormat   date_format;
} BbStatementMapping;

/* What matching made of a line. */
typedef enum
{
  BB_STATEMENT_MATCHED,           /* exactly one bill fits: confirm records it */
  BB_STATEMENT_SUGGESTED,         /* bills that may fit, best first: the user chooses */
  BB_STATEMENT_UNMATCHED,         /* nothing fits: the user may choose a customer */
  BB_STATEMENT_ALREADY_IMPORTED,  /* this transaction is a payment already */
  BB_STATEMENT_SKIPPED,           /* not money received (see the line's skip_reason) */
} BbStatementOutcome;

/* Why a bill is a candidate for a line. */
typedef enum
{
  BB_STATEMENT_REASON_AMOUNT          = 1 << 0, /* its open balance equals the amount */
  BB_STATEMENT_REASON_NUMBER          = 1 << 1, /* its number is in the memo, remark or order number */
  BB_STATEMENT_REASON_CUSTOMER        = 1 << 2, /* the counterparty is its customer: name, phone or email */
  BB_STATEMENT_REASON_CUSTOMER_PARTLY = 1 << 3, /* a masked name or phone ("*三", "138****8000") fits */
  BB_STATEMENT_REASON_DATE            = 1 << 4, /* paid between its issue and N days after it fell due */
} BbStatementReasons;

typedef struct
{
  gint64              invoice_id;
  char               *invoice_number;
  gint64              customer_id;
  char               *customer_code;
  char               *customer_name;
  char               *issued_on;
  char               *due_on;
  BbMoney             open_balance;   /* what is still open after the lines matched before */
  BbStatementReasons  reasons;
  guint               score;          /* higher is better */
  char               *explanation;    /* the reasons, for the user */
} BbStatementCandidate;

typedef struct
{
  BbStatementLine     *line;          /* (transfer full) */
  BbStatementOutcome   outcome;
  GPtrArray           *candidates;    /* (element-type BbStatementCandidate): best first */
  char                *reason;        /* the outcome explained, for the user */
  gint64               imported_payment_id; /* ALREADY_IMPORTED: the payment it became */
  /* What confirming records; set for MATCHED, chosen by the user
   * otherwise (bb_statement_match_choose()). */
  gint64               invoice_id;    /* the bill it pays; 0: none */
  gint64               customer_id;   /* who paid */
} BbStatementMatch;

typedef struct
{
  guint  days_after_due;   /* the date window ends this many days after the due date (30) */
  guint  max_candidates;   /* suggestions kept per line (5) */
} BbStatementMatchOptions;

#define BB_STATEMENT_DEFAULT_DAYS_AFTER_DUE 30
#define BB_STATEMENT_DEFAULT_MAX_CANDIDATES 5

const char         *bb_statement_platform_to_string   (BbStatementPlatform   platform);
gboolean            bb_statement_platform_from_string (const char           *text,
                                                       BbStatementPlatform  *platform);
const char         *bb_statement_platform_label       (BbStatementPlatform   platform);
BbPaymentMethod     bb_statement_platform_method      (BbStatementPlatform   platform);
const char         *bb_statement_outcome_to_string    (BbStatementOutcome    outcome);

BbStatementLine    *bb_statement_line_ref             (BbStatementLine      *line);
void                bb_statement_line_unref           (BbStatementLine      *line);

BbStatement        *bb_statement_ref                  (BbStatement          *statement);
void                bb_statement_unref                (BbStatement          *statement);

/* Reading */

gboolean            bb_statement_detect               (GBytes               *data,
                                                       BbStatementPlatform  *platform);
gboolean            bb_statement_read_alipay          (GBytes               *data,
                                                       BbStatement         **statement,
                                                       GError              **error);
gboolean            bb_statement_read_wechat          (GBytes               *data,
                                                       BbStatement         **statement,
                                                       GError              **error);
gboolean            bb_statement_read_bank            (GBytes               *data,
                                                       const BbStatementMapping *mapping,
                                                       const BbCurrency     *currency,
                                                       BbStatement         **statement,
                                                       GError              **error);

/* Bank column mappings */

BbStatementMapping *bb_statement_mapping_new          (void);
BbStatementMapping *bb_statement_mapping_copy         (const BbStatementMapping *mapping);
void                bb_statement_mapping_free         (BbStatementMapping   *mapping);
gboolean            bb_statement_mapping_validate     (const BbStatementMapping *mapping,
                                                       GError              **error);
const char         *bb_statement_date_format_to_string (BbStatementDateFormat format);
gboolean            bb_statement_date_format_from_string (const char        *text,
                                                       BbStatementDateFormat *format);

BbStatementMapping *bb_statement_guess_mapping        (const char * const   *header);
BbStatementMapping *bb_statement_guess_mapping_for_data (GBytes             *data,
                                                       GError              **error);

char               *bb_statement_mapping_to_text      (const BbStatementMapping *mapping);
BbStatementMapping *bb_statement_mapping_from_text    (const char           *text,
                                                       GError              **error);

gboolean            bb_statement_mapping_save         (BbDb                 *db,
                                                       const BbStatementMapping *mapping,
                                                       GError              **error);
BbStatementMapping *bb_statement_mapping_load         (BbDb                 *db,
                                                       const char           *bank_name,
                                                       GError              **error);
GStrv               bb_statement_mapping_list_banks   (BbDb                 *db,
                                                       GError              **error);
gboolean            bb_statement_mapping_forget       (BbDb                 *db,
                                                       const char           *bank_name,
                                                       GError              **error);

/* Matching */

void                bb_statement_match_options_init   (BbStatementMatchOptions *options);

GPtrArray          *bb_statement_match                (BbDb                 *db,
                                                       BbStatement          *statement,
                                                       const BbStatementMatchOptions *options,
                                                       BbImportProgress      progress,
                                                       gpointer              progress_data,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
void                bb_statement_match_async          (BbDb                 *db,
                                                       BbStatement          *statement,
                                                       const BbStatementMatchOptions *options,
                                                       BbImportProgress      progress,
                                                       gpointer              progress_data,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GPtrArray          *bb_statement_match_finish         (BbDb                 *db,
                                                       GAsyncResult         *result,
                                                       GError              **error);

gboolean            bb_statement_match_choose         (BbStatementMatch     *match,
                                                       guint                 candidate);
void                bb_statement_match_choose_customer (BbStatementMatch    *match,
                                                       gint64                customer_id);
void                bb_statement_match_free           (BbStatementMatch     *match);
void                bb_statement_candidate_free       (BbStatementCandidate *candidate);

/* Confirming */

gboolean            bb_statement_confirm              (BbDb                 *db,
                                                       GPtrArray            *accepted,
                                                       guint                *n_recorded,
                                                       GError              **error);
void                bb_statement_confirm_async        (BbDb                 *db,
                                                       GPtrArray            *accepted,
                                                       BbImportProgress      progress,
                                                       gpointer              progress_data,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean            bb_statement_confirm_finish       (BbDb                 *db,
                                                       GAsyncResult         *result,
                                                       guint                *n_recorded,
                                                       GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbStatementLine, bb_statement_line_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbStatement, bb_statement_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbStatementMapping, bb_statement_mapping_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbStatementMatch, bb_statement_match_free)

G_END_DECLS
