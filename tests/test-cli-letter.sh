#!/bin/bash
# test-cli-letter.sh — billbook-cli remind letter as a process: a dunning
# letter PDF with the customer's overdue bills, the total and the wording
# of their stage; errors that name the problem.
#   test-cli-letter.sh path/to/billbook-cli
set -u
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
n=0

ok()   { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; failures=$((failures + 1)); }
check() { # description, then a command that must succeed
  local what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

if ! command -v pdftotext >/dev/null; then
  echo "1..0 # SKIP poppler-utils (pdftotext) is not installed"
  exit 0
fi

book="$tmp/book.db"
bb() { "$cli" --database "$book" "$@"; }

cat >"$tmp/customers.csv" <<'CSV'
code,name,company,phone,email,address,tax_id,class,credit_limit,payment_terms_days,tags,notes
C1,Wang Xiaoming,,138 0013 8000,,88 Caoxi Road,,B,0,15,,
C2,Harbour Bakery,,021 5555 0101,,,,B,0,30,,
CSV
cat >"$tmp/invoices.csv" <<'CSV'
number,customer_code,issued_on,due_on,status,description,quantity,unit_price,tax_rate_percent,discount_percent
INV-1,C1,2026-01-01,2026-01-31,issued,Tea,1,1234.50,0,0
INV-2,C1,2026-02-01,2026-03-02,issued,Cakes,2,100.00,0,0
CSV
bb import customers "$tmp/customers.csv" >/dev/null
if ! bb import invoices "$tmp/invoices.csv" >/dev/null 2>"$tmp/err"; then
  echo "Bail out! could not import the bills: $(cat "$tmp/err")"
  exit 1
fi

# 40 days after INV-1's due date: the +30 step, firm
bb remind letter C1 -o "$tmp/firm.pdf" --as-of 2026-03-12 2>"$tmp/err"; rc=$?
check "remind letter exits 0" test $rc -eq 0
check "remind letter prints nothing on stderr" test ! -s "$tmp/err"
check "the PDF is readable by its owner only" test "$(stat -c %a "$tmp/firm.pdf")" = 600
text=$(pdftotext -layout "$tmp/firm.pdf" - 2>/dev/null)
check "the letter names both bills" grep -q "INV-1" <<<"$text"
check "the letter names INV-2" grep -q "INV-2" <<<"$text"
check "the letter has the total" grep -q "1,434.50" <<<"$text"
check "the letter is worded firmly at 40 days" grep -q "Overdue Notice" <<<"$text"
check "the letter is dated as asked" grep -q "Date: 2026-03-12" <<<"$text"
check "the letter gives a new pay-by date" grep -q "by 2026-03-26" <<<"$text"

# 65 days: the +60 step, final; --wording chooses it by hand
bb remind letter C1 -o "$tmp/final.pdf" --as-of 2026-04-06
check "at 65 days the letter is final" grep -q "Final Notice" <<<"$(pdftotext "$tmp/final.pdf" - 2>/dev/null)"
bb remind letter C1 -o "$tmp/polite.pdf" --as-of 2026-04-06 --wording polite
check "--wording polite words it politely" grep -q "Payment Reminder" <<<"$(pdftotext "$tmp/polite.pdf" - 2>/dev/null)"

# errors: exit 1, the message names the problem, no file written
err=$(bb remind letter C2 -o "$tmp/none.pdf" 2>&1); rc=$?
check "a customer owing nothing exits 1" test $rc -eq 1
check "and the message says so (got: $err)" grep -q "owes nothing" <<<"$err"
check "and no file is written" test ! -e "$tmp/none.pdf"
err=$(bb remind letter NOSUCH -o "$tmp/none.pdf" 2>&1); rc=$?
check "an unknown customer code exits 1 (got: $err)" test $rc -eq 1
err=$(bb remind letter C1 2>&1); rc=$?
check "a letter without -o exits 1 (got: $err)" test $rc -eq 1
check "and the message asks for -o" grep -q -- "-o FILE" <<<"$err"
err=$(bb remind letter C1 -o "$tmp/x.pdf" --wording rude 2>&1); rc=$?
check "a bad --wording exits 1 and names it (got: $err)" test $rc -eq 1 -a -n "$(grep -- '--wording' <<<"$err")"
err=$(bb remind letter C1 -o "$tmp/x.pdf" --as-of 2026-02-30 2>&1); rc=$?
check "a bad --as-of exits 1 and names it (got: $err)" test $rc -eq 1 -a -n "$(grep -- '--as-of' <<<"$err")"

echo "1..$n"
exit $((failures > 0))
