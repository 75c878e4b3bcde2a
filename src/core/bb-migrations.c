/* bb-migrations.c — numbered schema changes, applied in order
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each entry moves the book from version - 1 to version in one
 * transaction (see apply_migrations() in bb-db.c). Never edit a released
 * migration: add a new one.
 *
 * Conventions: money is INTEGER minor units, quantities INTEGER
 * thousandths, rates INTEGER basis points, dates TEXT 'YYYY-MM-DD',
 * times TEXT 'YYYY-MM-DDTHH:MM:SSZ' (UTC). Money history (payments,
 * allocations, prepaid entries, the audit log) is append-only, which the
 * triggers below enforce.
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include "bb-db-private.h"

static const char migration_1[] =
  /* Business details, numbering counters, preferences. */
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"

  "CREATE TABLE customers ("
  "  id                 INTEGER PRIMARY KEY,"
  "  code               TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 64),"
  "  name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
  "  company            TEXT NOT NULL DEFAULT '',"
  "  phone              TEXT NOT NULL DEFAULT '',"
  "  email              TEXT NOT NULL DEFAULT '',"
  "  address            TEXT NOT NULL DEFAULT '',"
  "  tax_id             TEXT NOT NULL DEFAULT '',"
  "  class              TEXT NOT NULL DEFAULT 'B' CHECK (class IN ('A', 'B', 'C')),"
  "  class_override     TEXT CHECK (class_override IN ('A', 'B', 'C')),"
  "  credit_limit       INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),"
  "  payment_terms_days INTEGER NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 3650),"
  "  tags               TEXT NOT NULL DEFAULT '',"
  "  notes              TEXT NOT NULL DEFAULT '',"
  "  created_at         TEXT NOT NULL,"
  "  updated_at         TEXT NOT NULL,"
  "  reviewed_on        TEXT,"
  "  archived           INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),"
  "  erased             INTEGER NOT NULL DEFAULT 0 CHECK (erased IN (0, 1)),"
  /* Kept up to date by core in the same transaction as the money rows
   * they summarise; `billbook-cli check` recomputes them. */
  "  outstanding        INTEGER NOT NULL DEFAULT 0,"
  "  credit             INTEGER NOT NULL DEFAULT 0 CHECK (credit >= 0),"
  "  prepaid_balance    INTEGER NOT NULL DEFAULT 0 CHECK (prepaid_balance >= 0),"
  "  last_payment_on    TEXT,"
  /* Lower-cased name, company, phone digits, email, code and tags, for
   * search as you type. */
  "  search_text        TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX customers_name ON customers (archived, name COLLATE NOCASE);"
  "CREATE INDEX customers_phone ON customers (archived, phone);"
  "CREATE INDEX customers_class ON customers (archived, class, name COLLATE NOCASE);"
  "CREATE INDEX customers_outstanding ON customers (archived, outstanding);"
  "CREATE INDEX customers_prepaid ON customers (archived, prepaid_balance);"
  "CREATE INDEX customers_last_payment ON customers (archived, last_payment_on);"

  /* Custom field names, defined per business in Preferences… */
  "CREATE TABLE customer_fields ("
  "  id        INTEGER PRIMARY KEY,"
  "  name      TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),"
  "  position  INTEGER NOT NULL DEFAULT 0"
  ");"
  /* …and their values per customer. */
  "CREATE TABLE customer_field_values ("
  "  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,"
  "  field_id    INTEGER NOT NULL REFERENCES customer_fields (id) ON DELETE CASCADE,"
  "  value       TEXT NOT NULL,"
  "  PRIMARY KEY (customer_id, field_id)"
  ") WITHOUT ROWID;"

  "CREATE TABLE interactions ("
  "  id            INTEGER PRIMARY KEY,"
  "  customer_id   INTEGER NOT NULL REFERENCES customers (id),"
  "  occurred_on   TEXT NOT NULL,"
  "  channel       TEXT NOT NULL CHECK (channel IN ('phone', 'visit', 'email', 'wechat', 'sms', 'other')),"
  "  kind          TEXT NOT NULL CHECK (kind IN ('communication', 'complaint', 'feedback', 'follow_up')),"
  "  summary       TEXT NOT NULL DEFAULT '',"
  "  outcome       TEXT NOT NULL DEFAULT '',"
  "  follow_up_on  TEXT,"
  "  follow_up_done INTEGER NOT NULL DEFAULT 0 CHECK (follow_up_done IN (0, 1)),"
  "  created_at    TEXT NOT NULL"
  ");"
  "CREATE INDEX interactions_customer ON interactions (customer_id, occurred_on);"
  "CREATE INDEX interactions_follow_up ON interactions (follow_up_on)"
  "  WHERE follow_up_on IS NOT NULL AND follow_up_done = 0;"

  "CREATE TABLE recurring_charges ("
  "  id           INTEGER PRIMARY KEY,"
  "  customer_id  INTEGER NOT NULL REFERENCES customers (id),"
  "  description  TEXT NOT NULL CHECK (length(description) >= 1),"
  "  amount       INTEGER NOT NULL CHECK (amount > 0),"
  "  tax_rate     INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 100000),"
  "  interval     TEXT NOT NULL CHECK (interval IN ('weekly', 'monthly', 'quarterly', 'yearly')),"
  "  anchor_day   INTEGER NOT NULL CHECK (anchor_day BETWEEN 1 AND 31),"
  "  start_on     TEXT NOT NULL,"
  "  next_on      TEXT NOT NULL,"
  "  end_on       TEXT,"
  "  active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
  "  created_at   TEXT NOT NULL"
  ");"
  "CREATE INDEX recurring_next ON recurring_charges (active, next_on);"

  "CREATE TABLE invoices ("
  "  id             INTEGER PRIMARY KEY,"
  /* Given when the bill is issued, from the pattern in settings; drafts
   * have none, so issued numbers have no gaps. */
  "  number         TEXT UNIQUE,"
  "  customer_id    INTEGER NOT NULL REFERENCES customers (id),"
  "  kind           TEXT NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note', 'fee')),"
  "  credit_for_id  INTEGER REFERENCES invoices (id),"
  "  status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'issued', 'void')),"
  "  issued_on      TEXT NOT NULL,"
  "  due_on         TEXT NOT NULL,"
  "  currency       TEXT NOT NULL CHECK (length(currency) = 3),"
  "  notes          TEXT NOT NULL DEFAULT '',"
  "  void_reason    TEXT,"
  "  recurring_id   INTEGER REFERENCES recurring_charges (id),"
  "  recurring_period TEXT,"
  /* Totals are computed by core from the lines; open_balance from the
   * allocations. Both are caches that `check` recomputes. */
  "  subtotal       INTEGER NOT NULL DEFAULT 0,"
  "  discount_total INTEGER NOT NULL DEFAULT 0,"
  "  tax_total      INTEGER NOT NULL DEFAULT 0,"
  "  total          INTEGER NOT NULL DEFAULT 0,"
  "  paid           INTEGER NOT NULL DEFAULT 0,"
  "  open_balance   INTEGER NOT NULL DEFAULT 0,"
  "  created_at     TEXT NOT NULL,"
  "  updated_at     TEXT NOT NULL,"
  "  CHECK (status <> 'void' OR void_reason IS NOT NULL),"
  "  CHECK (status IN ('draft', 'review') OR number IS NOT NULL),"
  "  CHECK (due_on >= issued_on),"
  "  UNIQUE (recurring_id, recurring_period)"
  ");"
  "CREATE INDEX invoices_customer ON invoices (customer_id, due_on);"
  "CREATE INDEX invoices_issued ON invoices (issued_on);"
  "CREATE INDEX invoices_status ON invoices (status, issued_on);"
  "CREATE INDEX invoices_open_due ON invoices (due_on, customer_id, open_balance)"
  "  WHERE status = 'issued' AND open_balance <> 0;"
  "CREATE INDEX invoices_credit_for ON invoices (credit_for_id) WHERE credit_for_id IS NOT NULL;"

  "CREATE TABLE invoice_lines ("
  "  id           INTEGER PRIMARY KEY,"
  "  invoice_id   INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,"
  "  position     INTEGER NOT NULL,"
  "  description  TEXT NOT NULL DEFAULT '',"
  "  quantity     INTEGER NOT NULL,"
  "  unit_price   INTEGER NOT NULL,"
  "  discount     INTEGER NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 10000),"
  "  tax_rate     INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 100000),"
  "  net          INTEGER NOT NULL,"
  "  tax          INTEGER NOT NULL,"
  "  UNIQUE (invoice_id, position)"
  ");"

  "CREATE TABLE prepaid_accounts ("
  "  id                INTEGER PRIMARY KEY,"
  "  customer_id       INTEGER NOT NULL REFERENCES customers (id),"
  "  name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),"
  "  validity          TEXT NOT NULL DEFAULT 'none' CHECK (validity IN ('none', 'fixed', 'months')),"
  "  expires_on        TEXT,"
  "  validity_months   INTEGER CHECK (validity_months IS NULL OR validity_months BETWEEN 1 AND 600),"
  "  refund_policy     TEXT NOT NULL DEFAULT '',"
  "  bonus_refundable  INTEGER NOT NULL DEFAULT 0 CHECK (bonus_refundable IN (0, 1)),"
  "  low_balance_mark  INTEGER NOT NULL DEFAULT 0 CHECK (low_balance_mark >= 0),"
  "  bonus_threshold   INTEGER NOT NULL DEFAULT 0 CHECK (bonus_threshold >= 0),"
  "  bonus_amount      INTEGER NOT NULL DEFAULT 0 CHECK (bonus_amount >= 0),"
  "  points_per_unit   INTEGER NOT NULL DEFAULT 0 CHECK (points_per_unit >= 0),"
  /* Caches of the ledger, recomputed by `check`. */
  "  balance           INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),"
  "  paid_in           INTEGER NOT NULL DEFAULT 0 CHECK (paid_in >= 0),"
  "  bonus             INTEGER NOT NULL DEFAULT 0 CHECK (bonus >= 0),"
  "  points            INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),"
  "  last_used_on      TEXT,"
  "  closed            INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),"
  "  created_at        TEXT NOT NULL,"
  "  UNIQUE (customer_id, name),"
  "  CHECK (validity <> 'fixed' OR expires_on IS NOT NULL),"
  "  CHECK (validity <> 'months' OR validity_months IS NOT NULL)"
  ");"
  "CREATE INDEX prepaid_accounts_expiry ON prepaid_accounts (expires_on) WHERE expires_on IS NOT NULL;"

  "CREATE TABLE payments ("
  "  id            INTEGER PRIMARY KEY,"
  "  customer_id   INTEGER NOT NULL REFERENCES customers (id),"
  "  received_on   TEXT NOT NULL,"
  "  amount        INTEGER NOT NULL CHECK (amount <> 0),"
  "  method        TEXT NOT NULL CHECK (method IN ('cash', 'bank_transfer', 'card', 'alipay', 'wechat_pay', 'prepaid', 'other')),"
  "  reference     TEXT NOT NULL DEFAULT '',"
  "  note          TEXT NOT NULL DEFAULT '',"
  /* A refund or a correction is a new row that points at the row it reverses. */
  "  reverses_id   INTEGER UNIQUE REFERENCES payments (id),"
  "  prepaid_account_id INTEGER REFERENCES prepaid_accounts (id),"
  /* 'alipay:2026…' — a statement line is never imported twice. */
  "  statement_txn TEXT UNIQUE,"
  "  created_at    TEXT NOT NULL,"
  "  CHECK (method <> 'prepaid' OR prepaid_account_id IS NOT NULL)"
  ");"
  "CREATE INDEX payments_customer ON payments (customer_id, received_on);"
  "CREATE INDEX payments_received ON payments (received_on, method, amount);"

  "CREATE TABLE payment_allocations ("
  "  id          INTEGER PRIMARY KEY,"
  "  payment_id  INTEGER NOT NULL REFERENCES payments (id),"
  "  invoice_id  INTEGER NOT NULL REFERENCES invoices (id),"
  "  amount      INTEGER NOT NULL CHECK (amount <> 0),"
  "  created_at  TEXT NOT NULL"
  ");"
  "CREATE INDEX payment_allocations_invoice ON payment_allocations (invoice_id, payment_id);"
  "CREATE INDEX payment_allocations_payment ON payment_allocations (payment_id);"

  "CREATE TABLE prepaid_entries ("
  "  id           INTEGER PRIMARY KEY,"
  "  account_id   INTEGER NOT NULL REFERENCES prepaid_accounts (id),"
  "  occurred_on  TEXT NOT NULL,"
  "  kind         TEXT NOT NULL CHECK (kind IN ('topup', 'bonus', 'charge', 'refund', 'expiry', 'adjust', 'redeem')),"
  /* Signed: what the entry does to the balance. */
  "  amount       INTEGER NOT NULL,"
  /* How much of the amount is bonus money (same sign as amount). */
  "  bonus_part   INTEGER NOT NULL DEFAULT 0,"
  "  points       INTEGER NOT NULL DEFAULT 0,"
  "  method       TEXT CHECK (method IS NULL OR method IN ('cash', 'bank_transfer', 'card', 'alipay', 'wechat_pay', 'other')),"
  "  invoice_id   INTEGER REFERENCES invoices (id),"
  "  note         TEXT NOT NULL DEFAULT '',"
  "  created_at   TEXT NOT NULL,"
  "  CHECK (kind <> 'topup' OR (amount > 0 AND method IS NOT NULL)),"
  "  CHECK (kind NOT IN ('bonus') OR amount > 0),"
  "  CHECK (kind NOT IN ('charge', 'refund', 'expiry') OR amount < 0),"
  "  CHECK (kind <> 'adjust' OR length(note) > 0)"
  ");"
  "CREATE INDEX prepaid_entries_account ON prepaid_entries (account_id, occurred_on);"
  "CREATE INDEX prepaid_entries_date ON prepaid_entries (occurred_on, kind);"
  "CREATE UNIQUE INDEX prepaid_entries_one_expiry ON prepaid_entries (account_id, occurred_on)"
  "  WHERE kind = 'expiry';"

  /* What the reminder engine has shown, snoozed or marked done, so each
   * reminder is sent once per stage. */
  "CREATE TABLE reminders ("
  "  id            INTEGER PRIMARY KEY,"
  "  kind          TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue', 'follow_up', 'prepaid_expiry', 'prepaid_low', 'recurring', 'review')),"
  "  subject_id    INTEGER NOT NULL,"
  "  stage         TEXT NOT NULL DEFAULT '',"
  "  state         TEXT NOT NULL CHECK (state IN ('notified', 'snoozed', 'done')),"
  "  snoozed_until TEXT,"
  "  updated_at    TEXT NOT NULL,"
  "  UNIQUE (kind, subject_id, stage)"
  ");"

  "CREATE TABLE audit_log ("
  "  id          INTEGER PRIMARY KEY,"
  "  at          TEXT NOT NULL,"
  "  action      TEXT NOT NULL,"
  "  table_name  TEXT NOT NULL,"
  "  record_id   INTEGER NOT NULL,"
  "  detail      TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX audit_log_record ON audit_log (table_name, record_id);"

  /* Money history is append-only. */
  "CREATE TRIGGER payments_append_only_update BEFORE UPDATE ON payments"
  "  BEGIN SELECT RAISE (ABORT, 'payments are append-only'); END;"
  "CREATE TRIGGER payments_append_only_delete BEFORE DELETE ON payments"
  "  BEGIN SELECT RAISE (ABORT, 'payments are append-only'); END;"
  "CREATE TRIGGER allocations_append_only_update BEFORE UPDATE ON payment_allocations"
  "  BEGIN SELECT RAISE (ABORT, 'payment allocations are append-only'); END;"
  "CREATE TRIGGER allocations_append_only_delete BEFORE DELETE ON payment_allocations"
  "  BEGIN SELECT RAISE (ABORT, 'payment allocations are append-only'); END;"
  "CREATE TRIGGER prepaid_entries_append_only_update BEFORE UPDATE ON prepaid_entries"
  "  BEGIN SELECT RAISE (ABORT, 'prepaid entries are append-only'); END;"
  "CREATE TRIGGER prepaid_entries_append_only_delete BEFORE DELETE ON prepaid_entries"
  "  BEGIN SELECT RAISE (ABORT, 'prepaid entries are append-only'); END;"
  "CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  /* An issued bill is never edited: void it or credit it. */
  "CREATE TRIGGER invoices_issued_frozen BEFORE UPDATE OF number, customer_id, issued_on, due_on, currency, subtotal, discount_total, tax_total, total ON invoices"
  "  WHEN old.status IN ('issued', 'void')"
  "  BEGIN SELECT RAISE (ABORT, 'an issued bill cannot be edited'); END;"
  "CREATE TRIGGER invoices_issued_no_delete BEFORE DELETE ON invoices"
  "  WHEN old.status IN ('issued', 'void')"
  "  BEGIN SELECT RAISE (ABORT, 'an issued bill cannot be deleted'); END;"
  "CREATE TRIGGER invoice_lines_frozen_insert BEFORE INSERT ON invoice_lines"
  "  WHEN (SELECT status FROM invoices WHERE id = new.invoice_id) IN ('issued', 'void')"
  "  BEGIN SELECT RAISE (ABORT, 'an issued bill cannot be edited'); END;"
  "CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines"
  "  WHEN (SELECT status FROM invoices WHERE id = old.invoice_id) IN ('issued', 'void')"
  "  BEGIN SELECT RAISE (ABORT, 'an issued bill cannot be edited'); END;"
  "CREATE TRIGGER invoice_lines_frozen_delete BEFORE DELETE ON invoice_lines"
  "  WHEN (SELECT status FROM invoices WHERE id = old.invoice_id) IN ('issued', 'void')"
  "  BEGIN SELECT RAISE (ABORT, 'an issued bill cannot be edited'); END;"
  ;

/* Version 2: what an allocation row is (bb-payments.c explains the
 * design). 'payment': money of a payment put on a bill when it was
 * recorded; 'credit': the unallocated rest of an earlier payment (the
 * customer's credit) put on a bill later; 'reversal': a refund undoing
 * the allocations of the payment it reverses, on the refund's own row.
 * The sums never depend on the kind: it says what happened. */
static const char migration_2[] =
  "ALTER TABLE payment_allocations ADD COLUMN kind TEXT NOT NULL DEFAULT 'payment'"
  "  CHECK (kind IN ('payment', 'credit', 'reversal'));"
  /* Rows written before: those on a refund are reversals. The
   * append-only trigger is lifted for this one backfill, in the
   * migration's own transaction, and put back as it was. */
  "DROP TRIGGER allocations_append_only_update;"
  "UPDATE payment_allocations SET kind = 'reversal'"
  "  WHERE payment_id IN (SELECT id FROM payments WHERE reverses_id IS NOT NULL);"
  "CREATE TRIGGER allocations_append_only_update BEFORE UPDATE ON payment_allocations"
  "  BEGIN SELECT RAISE (ABORT, 'payment allocations are append-only'); END;"
  ;

/* Version 3: prepaid cards (bb-prepaid.c explains the design). The
 * points rule gets its step: points_per_unit points for each full
 * points_unit of money charged (100: per 1.00); points are redeemed in
 * steps of redeem_points for redeem_value of bonus money each. A ledger
 * entry names the payment it is the card side of (a bill paid from the
 * card, or the refund of that payment), one entry per payment, and the
 * charge it reverses, once. */
static const char migration_3[] =
  "ALTER TABLE prepaid_accounts ADD COLUMN points_unit INTEGER NOT NULL DEFAULT 100 CHECK (points_unit > 0);"
  "ALTER TABLE prepaid_accounts ADD COLUMN redeem_points INTEGER NOT NULL DEFAULT 0 CHECK (redeem_points >= 0);"
  "ALTER TABLE prepaid_accounts ADD COLUMN redeem_value INTEGER NOT NULL DEFAULT 0 CHECK (redeem_value >= 0);"
  "ALTER TABLE prepaid_entries ADD COLUMN payment_id INTEGER REFERENCES payments (id);"
  "ALTER TABLE prepaid_entries ADD COLUMN reverses_id INTEGER REFERENCES prepaid_entries (id);"
  "CREATE UNIQUE INDEX prepaid_entries_payment ON prepaid_entries (payment_id) WHERE payment_id IS NOT NULL;"
  "CREATE UNIQUE INDEX prepaid_entries_reverses ON prepaid_entries (reverses_id) WHERE reverses_id IS NOT NULL;"
  "CREATE INDEX prepaid_accounts_balance ON prepaid_accounts (closed, balance);"
  ;

/* Version 4: reminders (bb-reminders.c explains the design). A late fee
 * drafted for a bill at a dunning step, once: fee_invoice_id is the draft
 * fee bill, NULL after the owner deleted it (it is not drafted again).
 * Indexes for the reminder engine's range reads, each holding what a
 * reminder shows so that the rows themselves are not visited (and the
 * columns of its WHERE, without which SQLite 3.40 does not see a partial
 * index as covering): open bills by due date, customers by their last
 * review, prepaid cards under their low-balance mark, follow-ups not
 * done by date, and each customer's code and name (a narrow copy that
 * stays in the cache, where the rows would take a page read each). */
static const char migration_4[] =
  "CREATE TABLE late_fees ("
  "  invoice_id     INTEGER NOT NULL REFERENCES invoices (id),"
  "  stage          TEXT NOT NULL,"
  "  fee_invoice_id INTEGER UNIQUE REFERENCES invoices (id) ON DELETE SET NULL,"
  "  created_at     TEXT NOT NULL,"
  "  PRIMARY KEY (invoice_id, stage)"
  ") WITHOUT ROWID;"
  "CREATE INDEX invoices_reminders ON invoices (due_on, open_balance, kind, number, customer_id, status)"
  "  WHERE status = 'issued' AND open_balance > 0;"
  "CREATE INDEX customers_review ON customers (reviewed_on, code, name, archived, erased)"
  "  WHERE archived = 0 AND erased = 0;"
  "CREATE INDEX prepaid_accounts_low ON prepaid_accounts (customer_id)"
  "  WHERE closed = 0 AND balance < low_balance_mark;"
  "CREATE INDEX interactions_follow_up_list ON interactions (follow_up_on, customer_id, kind, summary, follow_up_done)"
  "  WHERE follow_up_on IS NOT NULL AND follow_up_done = 0;"
  "CREATE INDEX customers_label ON customers (id, code, name);"
  ;

/* Version 5: a book of 100,000 customers and a million bills at the
 * speed of typing (tests/bench/RESULTS.md has the figures).
 *
 * customers_fts: search as you type by an index (bb-customers.c explains
 * how a query uses it). The search text of every customer not archived,
 * cut into trigrams (every run of three characters) by SQLite's own
 * trigram tokenizer, so that any piece of three or more characters is
 * found without reading every customer. It keeps no copy of the text
 * (content=''): the triggers give it the text going in and, to take a
 * customer out, the same text again. Two unit separators (char 31, never
 * typed: bb-customers.c splits a query on it) end each text so that
 * every character starts a trigram; then the trigrams that begin with a
 * one- or two-character piece, listed by customers_fts_terms, find that
 * piece too.
 *
 * customers_name becomes customers_search, which also holds the id and
 * the search text: the list by name, filtered by a search the index
 * cannot answer, reads only the index and a row for each customer shown.
 * customers_by_id reads the name and search text of each customer a
 * search found, without the customer's whole row.
 * customers_tags lists the tags in use (the tag filter) from the index
 * alone.
 *
 * invoices_aging: the bills that owe, by customer, with all the aging
 * report reads (bb-reports.c). */
static const char migration_5[] =
  "CREATE VIRTUAL TABLE customers_fts USING fts5 (text, tokenize = 'trigram', content = '', detail = 'full');"
  "CREATE VIRTUAL TABLE customers_fts_terms USING fts5vocab (customers_fts, 'row');"
  "INSERT INTO customers_fts (rowid, text) SELECT id, search_text || char(31, 31) FROM customers WHERE archived = 0;"
  "CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers WHEN new.archived = 0"
  "  BEGIN INSERT INTO customers_fts (rowid, text) VALUES (new.id, new.search_text || char(31, 31)); END;"
  "CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers WHEN old.archived = 0"
  "  BEGIN INSERT INTO customers_fts (customers_fts, rowid, text)"
  "    VALUES ('delete', old.id, old.search_text || char(31, 31)); END;"
  "CREATE TRIGGER customers_fts_update AFTER UPDATE OF id, search_text, archived ON customers"
  "  BEGIN"
  "    INSERT INTO customers_fts (customers_fts, rowid, text)"
  "      SELECT 'delete', old.id, old.search_text || char(31, 31) WHERE old.archived = 0;"
  "    INSERT INTO customers_fts (rowid, text)"
  "      SELECT new.id, new.search_text || char(31, 31) WHERE new.archived = 0;"
  "  END;"
  "DROP INDEX customers_name;"
  "CREATE INDEX customers_search ON customers (archived, name COLLATE NOCASE, id, search_text);"
  "CREATE INDEX customers_by_id ON customers (id, archived, name COLLATE NOCASE, search_text);"
  "CREATE INDEX customers_tags ON customers (archived, tags);"
  "CREATE INDEX invoices_aging ON invoices (customer_id, due_on, open_balance, issued_on)"
  "  WHERE status = 'issued' AND open_balance <> 0;"
  ;

/* Version 6: statement reconciliation (bb-statement.c explains the
 * design). One row per statement transaction that became a payment:
 * where it came from (platform 'alipay', 'wechat_pay' or 'bank'; account:
 * the bank's name, '' for the platforms), the platform's transaction
 * number (also the payment's reference), when it happened and how much.
 * The unique key is what keeps a transaction from being imported twice,
 * even by two windows at once; the rows are money history, append-only.
 * invoices_open_match: the open bills as matching reads them. */
static const char migration_6[] =
  "CREATE TABLE statement_imports ("
  "  id             INTEGER PRIMARY KEY,"
  "  platform       TEXT NOT NULL CHECK (platform IN ('alipay', 'wechat_pay', 'bank')),"
  "  account        TEXT NOT NULL DEFAULT '',"
  "  transaction_id TEXT NOT NULL CHECK (length(transaction_id) BETWEEN 1 AND 200),"
  "  payment_id     INTEGER NOT NULL UNIQUE REFERENCES payments (id),"
  "  occurred_at    TEXT NOT NULL,"
  "  amount         INTEGER NOT NULL CHECK (amount > 0),"
  "  created_at     TEXT NOT NULL,"
  "  UNIQUE (platform, account, transaction_id)"
  ");"
  "CREATE TRIGGER statement_imports_append_only_update BEFORE UPDATE ON statement_imports"
  "  BEGIN SELECT RAISE (ABORT, 'statement imports are append-only'); END;"
  "CREATE TRIGGER statement_imports_append_only_delete BEFORE DELETE ON statement_imports"
  "  BEGIN SELECT RAISE (ABORT, 'statement imports are append-only'); END;"
  /* What matching reads of the open bills, covered: a million bills
   * are not visited for the tens of thousands still open. */
  "CREATE INDEX invoices_open_match ON invoices (currency, due_on, id, customer_id, open_balance, number, issued_on)"
  "  WHERE status = 'issued' AND open_balance > 0 AND kind <> 'credit_note';"
  ;

/* Version 7: how many customers not archived have each ASCII letter or
 * digit in their search text, kept by triggers, so that a search for one
 * letter or digit (the first keystroke of a Latin name, a phone or a
 * code) is counted without reading every customer: the index of version 5
 * cannot answer a piece shorter than its trigrams cheaply when nearly
 * every customer has it (bb-customers.c). lower() as LIKE folds case. */
static const char migration_7[] =
  "CREATE TABLE customers_chars ("
  "  ch TEXT PRIMARY KEY NOT NULL CHECK (length(ch) = 1),"
  "  n  INTEGER NOT NULL DEFAULT 0"
  ") WITHOUT ROWID;"
  "INSERT INTO customers_chars (ch) VALUES ('a'),('b'),('c'),('d'),('e'),('f'),('g'),('h'),('i'),('j'),('k'),('l'),('m'),('n'),('o'),('p'),('q'),('r'),('s'),('t'),('u'),('v'),('w'),('x'),('y'),('z'),('0'),('1'),('2'),('3'),('4'),('5'),('6'),('7'),('8'),('9');"
  "UPDATE customers_chars SET n = (SELECT count(*) FROM customers"
  "  WHERE archived = 0 AND instr(lower(search_text), customers_chars.ch) > 0);"
  "CREATE TRIGGER customers_chars_insert AFTER INSERT ON customers WHEN new.archived = 0"
  "  BEGIN UPDATE customers_chars SET n = n + 1 WHERE instr(lower(new.search_text), ch) > 0; END;"
  "CREATE TRIGGER customers_chars_delete AFTER DELETE ON customers WHEN old.archived = 0"
  "  BEGIN UPDATE customers_chars SET n = n - 1 WHERE instr(lower(old.search_text), ch) > 0; END;"
  "CREATE TRIGGER customers_chars_update AFTER UPDATE OF search_text, archived ON customers"
  "  BEGIN"
  "    UPDATE customers_chars SET n = n - 1 WHERE old.archived = 0 AND instr(lower(old.search_text), ch) > 0;"
  "    UPDATE customers_chars SET n = n + 1 WHERE new.archived = 0 AND instr(lower(new.search_text), ch) > 0;"
  "  END;"
  ;

/* The on-time report reads the bills that fell due in a period, paid or
 * not: no index had due_on first for all issued bills, so it read every
 * bill issued up to the period's end (a million on a big book). Each
 * bill's allocations are summed with their amounts from the index. */
static const char migration_8[] =
  "CREATE INDEX invoices_due ON invoices (due_on, kind, total, status) WHERE status = 'issued';"
  "DROP INDEX payment_allocations_invoice;"
  "CREATE INDEX payment_allocations_invoice ON payment_allocations (invoice_id, payment_id, amount);"
  ;

/* The on-time report asks, of each bill that fell due in a period, whether
 * the payments received by its due date paid it in full: a look-up of
 * every such bill's allocations (100,000 a year on a big book). Each
 * issued bill now keeps that sum (core writes it with paid and
 * open_balance, bb-payments.c), and the index of bills by due date
 * carries it, so the report is one pass over the index.
 *
 * The top customers and A/B/C reports sum a period's bills or payments
 * by customer: the indexes by date now hold the customer and the amount,
 * so the rows are not read (a year of a million bills: 250 ms → 100 ms),
 * and a customer's class is read from a narrow index by id. */
static const char migration_9[] =
  "ALTER TABLE invoices ADD COLUMN paid_by_due INTEGER NOT NULL DEFAULT 0;"
  "UPDATE invoices SET paid_by_due = ("
  "  SELECT coalesce(sum(a.amount), 0) FROM payment_allocations a"
  "  CROSS JOIN payments p ON p.id = a.payment_id"
  "  WHERE a.invoice_id = invoices.id AND p.received_on <= invoices.due_on)"
  "  WHERE id IN (SELECT invoice_id FROM payment_allocations);"
  "DROP INDEX invoices_due;"
  "CREATE INDEX invoices_due ON invoices (due_on, kind, total, paid_by_due, status) WHERE status = 'issued';"
  "DROP INDEX invoices_status;"
  "CREATE INDEX invoices_status ON invoices (status, issued_on, customer_id, total);"
  "DROP INDEX payments_received;"
  "CREATE INDEX payments_received ON payments (received_on, method, amount, customer_id);"
  "CREATE INDEX customers_class_of ON customers (id, archived, class);"
  ;

static const BbMigration migrations[] = {
  { 1, migration_1 },
  { 2, migration_2 },
  { 3, migration_3 },
  { 4, migration_4 },
  { 5, migration_5 },
  { 6, migration_6 },
  { 7, migration_7 },
  { 8, migration_8 },
  { 9, migration_9 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BB_DB_SCHEMA_VERSION);

const BbMigration *
_bb_migrations_get (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
