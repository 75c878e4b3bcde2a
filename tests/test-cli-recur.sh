#!/bin/bash
# test-cli-recur.sh — billbook-cli recur as a process: draft bills for due
# recurring charges, once per period, also when two run at once.
#   test-cli-recur.sh path/to/billbook-cli
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

book="$tmp/book.db"
bb() { "$cli" --database "$book" "$@"; }
# The draft bills of the book, as "customer_code,issued_on,description,unit_price" lines.
drafts() { bb export invoices | awk -F, 'NR > 1 && $5 == "draft" { print $2 "," $3 "," $6 "," $8 }'; }

cat >"$tmp/customers.csv" <<'CSV'
code,name,company,phone,email,address,tax_id,class,credit_limit,payment_terms_days,tags,notes
C1,Wang Xiaoming,,138 0013 8000,,,,B,0,15,,
C2,Harbour Bakery,,021 5555 0101,,,,B,0,30,,
C3,Li Na,,139 0000 0003,,,,B,0,0,,
CSV
bb import customers "$tmp/customers.csv" >/dev/null

# nothing to bill yet
out=$(bb recur 2>"$tmp/err"); rc=$?
check "recur on a book without charges exits 0" test $rc -eq 0
check "recur says none were made (got: $out)" test "$out" = "Made 0 draft bills."
check "recur prints nothing on stderr" test ! -s "$tmp/err"

# a bad --as-of: exit 1, the message names the option, nothing done
for bad in 2026-02-30 tomorrow 26-1-1 ''; do
  err=$(bb recur --as-of "$bad" 2>&1 >"$tmp/out"); rc=$?
  check "recur --as-of '$bad' exits 1" test $rc -eq 1
  check "the message names --as-of (got: $err)" grep -q -- '--as-of' <<<"$err"
  check "nothing on stdout for --as-of '$bad'" test ! -s "$tmp/out"
done

# a monthly charge on the 31st
out=$(bb recur add C1 --every monthly --from 2026-01-31 --amount 99 --tax 6 \
        --description "Car wash membership"); rc=$?
check "recur add exits 0" test $rc -eq 0
check "recur add says what it added (got: $out)" test "$out" = "Charge 1: Monthly, ¥99.00 for C1, first bill on 2026-01-31."

# off until mid-April: one bill per missed month, on the last day of shorter months
out=$(bb recur --as-of 2026-04-15); rc=$?
check "recur --as-of exits 0" test $rc -eq 0
check "recur made three bills (got: $out)" test "$out" = "Made 3 draft bills."
expected='C1,2026-01-31,Car wash membership,99.00
C1,2026-02-28,Car wash membership,99.00
C1,2026-03-31,Car wash membership,99.00'
check "one draft per month, on Jan 31, Feb 28, Mar 31" test "$(drafts)" = "$expected"
check "due by the customer's terms (15 days)" grep -q ',C1,2026-02-28,2026-03-15,draft,' <(bb export invoices)

# again, the same day: nothing; a day of the next period: one (singular)
out=$(bb recur --as-of 2026-04-15)
check "recur again makes nothing (got: $out)" test "$out" = "Made 0 draft bills."
out=$(bb recur --as-of 2026-04-30)
check "the next period makes one bill (got: $out)" test "$out" = "Made 1 draft bill."
check "back on the 30th in April" grep -q '^C1,2026-04-30,' <(drafts)

# list: CSV with a header row
bb recur list >"$tmp/list.csv"; rc=$?
check "recur list exits 0" test $rc -eq 0
check "recur list begins with the header row" \
  test "$(head -n 1 "$tmp/list.csv")" = "id,customer_code,description,amount,tax_rate_percent,interval,start_on,next_on,end_on,active"
check "recur list shows the charge and its next date" \
  grep -qx '1,C1,Car wash membership,99.00,6,monthly,2026-01-31,2026-05-31,,1' "$tmp/list.csv"

# add: mistakes name the option or the field
err=$(bb recur add C1 --every daily --from 2026-01-01 --amount 5 --description x 2>&1); rc=$?
check "recur add --every daily exits 1" test $rc -eq 1
check "the message names --every" grep -q -- '--every' <<<"$err"
err=$(bb recur add C1 --every weekly --from 2026-01-01 --description x 2>&1); rc=$?
check "recur add without --amount exits 1" test $rc -eq 1
check "the message names --amount" grep -q -- '--amount' <<<"$err"
err=$(bb recur add C1 --every weekly --from 2026-01-01 --amount abc --description x 2>&1); rc=$?
check "recur add --amount abc exits 1" test $rc -eq 1
check "the message names --amount (got: $err)" grep -q -- '--amount' <<<"$err"
err=$(bb recur add C1 --every weekly --from 2026-01-01 --amount 5 --description '  ' 2>&1); rc=$?
check "recur add with an empty description exits 1" test $rc -eq 1
check "the message names the description" grep -q 'Description' <<<"$err"
err=$(bb recur add C1 --every weekly --from 2026-03-01 --until 2026-02-01 --amount 5 --description x 2>&1); rc=$?
check "recur add --until before --from exits 1" test $rc -eq 1
check "the message names --until" grep -q -- '--until' <<<"$err"
err=$(bb recur add NOBODY --every weekly --from 2026-01-01 --amount 5 --description x 2>&1); rc=$?
check "recur add for an unknown customer exits 1" test $rc -eq 1
check "the message names the code" grep -q 'NOBODY' <<<"$err"
err=$(bb recur list --as-of 2026-01-01 2>&1); rc=$?
check "recur list --as-of exits 1" test $rc -eq 1

# stop: no more bills
out=$(bb recur stop 1); rc=$?
check "recur stop exits 0" test $rc -eq 0
out=$(bb recur --as-of 2026-12-31)
check "a stopped charge makes nothing (got: $out)" test "$out" = "Made 0 draft bills."
err=$(bb recur stop 99 2>&1); rc=$?
check "recur stop of an unknown charge exits 1" test $rc -eq 1

# two at once (the window starting while a scheduled recur runs): every
# period billed exactly once, and both succeed
for c in C1 C2 C3; do
  bb recur add $c --every weekly --from 2026-01-05 --until 2026-12-28 --amount 10 --description "Weekly $c" >/dev/null
  bb recur add $c --every monthly --from 2026-01-31 --amount 20 --description "Monthly $c" >/dev/null
done
before=$(drafts | wc -l)
bb recur --as-of 2026-12-31 >"$tmp/a" 2>&1 & a=$!
bb recur --as-of 2026-12-31 >"$tmp/b" 2>&1 & b=$!
wait $a; rc_a=$?
wait $b; rc_b=$?
check "first of two at once exits 0 ($(cat "$tmp/a"))" test $rc_a -eq 0
check "second of two at once exits 0 ($(cat "$tmp/b"))" test $rc_b -eq 0
made=$(( $(grep -oE '[0-9]+' "$tmp/a") + $(grep -oE '[0-9]+' "$tmp/b") ))
check "together they made 3 × (52 + 12) bills (got $made)" test $made -eq 192
after=$(drafts | wc -l)
check "the book holds each bill once ($before + 192, got $after)" test "$after" -eq $((before + 192))
check "no period billed twice" test -z "$(drafts | sort | uniq -d)"
out=$(bb recur --as-of 2026-12-31)
check "a third run makes nothing (got: $out)" test "$out" = "Made 0 draft bills."

bb check >/dev/null; rc=$?
check "the book passes check" test $rc -eq 0

echo "1..$n"
exit $((failures > 0))
