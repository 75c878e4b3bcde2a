#!/bin/bash
# test-cli-io.sh — billbook-cli import and export as a process.
#   test-cli-io.sh path/to/billbook-cli path/to/tests/data
set -u
cli=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
n=0
header='code,name,company,phone,email,address,tax_id,class,credit_limit,payment_terms_days,tags,notes'

ok()   { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; failures=$((failures + 1)); }
check() { # description, then a command that must succeed
  local what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

book="$tmp/book.db"
bb() { "$cli" --database "$book" "$@"; }

# import a good file: exit 0, says how many
out=$(bb import customers "$data/customers-good.csv" 2>"$tmp/err"); rc=$?
check "import customers exits 0" test $rc -eq 0
check "import says how many (got: $out)" test "$out" = "Imported 3 customers."
check "import prints nothing on stderr" test ! -s "$tmp/err"

# export to stdout: the header row first, every customer after it
bb export customers >"$tmp/out.csv"; rc=$?
check "export to stdout exits 0" test $rc -eq 0
check "export begins with the header row" test "$(head -n 1 "$tmp/out.csv")" = "$header"
check "export holds the imported customers" grep -q '^C000003,Walk-in Customer,' "$tmp/out.csv"
check "export escapes a leading +" grep -q "^C000002,Anna Schmidt,\"Schmidt & Sons, Ltd.\",'+49 30 1234567," "$tmp/out.csv"

# a bad file: exit 1, every problem by line on stderr, nothing imported
bb export customers -o "$tmp/before.csv"
err=$(bb import customers "$data/customers-bad.csv" 2>&1 >"$tmp/bad-out"); rc=$?
check "import of a bad file exits 1" test $rc -eq 1
check "nothing on stdout for a bad file" test ! -s "$tmp/bad-out"
for expect in 'Line 1: unknown column “fax”' 'Line 3, email:' 'Line 4, code:' \
              'Line 5, code: “C000001” is already used' 'Line 6, credit_limit:' \
              'Line 9, class:' 'Line 10, name:' 'Line 11, payment_terms_days:' \
              'Line 12' 'Line 13' '9 rows have problems; nothing was imported'; do
  check "stderr says: $expect" grep -qF "$expect" <<<"$err"
done
bb export customers -o "$tmp/after.csv"
check "book unchanged after a bad file" cmp -s "$tmp/before.csv" "$tmp/after.csv"

# export -o: a private file, the same as stdout
rm -f "$tmp/private.csv"
bb export customers -o "$tmp/private.csv"; rc=$?
check "export -o exits 0" test $rc -eq 0
mode=$(stat -c %a "$tmp/private.csv")
check "export -o writes mode 0600 (got $mode)" test "$mode" = 600
check "export -o writes what stdout gets" cmp -s "$tmp/private.csv" "$tmp/out.csv"
printf 'old\n' >"$tmp/shared.csv"; chmod 644 "$tmp/shared.csv"
bb export customers -o "$tmp/shared.csv"
mode=$(stat -c %a "$tmp/shared.csv")
check "export -o over a file readable by others leaves it 0600 (got $mode)" test "$mode" = 600

# round trip into a new book: byte for byte
"$cli" --database "$tmp/copy.db" import customers "$tmp/out.csv" >/dev/null; rc=$?
check "re-import of an export exits 0" test $rc -eq 0
"$cli" --database "$tmp/copy.db" export customers >"$tmp/copy.csv"
check "export → import → export is identical" cmp -s "$tmp/out.csv" "$tmp/copy.csv"

# GB18030 from a Chinese spreadsheet program
out=$("$cli" --database "$tmp/gb.db" import customers "$data/customers-gb18030.csv"); rc=$?
check "import of GB18030 exits 0" test $rc -eq 0
check "GB18030 names arrive as UTF-8" grep -q '^G001,张三,张记五金店,' <("$cli" --database "$tmp/gb.db" export customers)

# vCard
out=$("$cli" --database "$tmp/vcf.db" import vcard "$data/vcard3.vcf"); rc=$?
check "import vcard exits 0" test $rc -eq 0
check "import vcard says how many (got: $out)" test "$out" = "Imported 4 customers."
check "vCard contact exported" grep -q '^C000001,John Appleseed,Apple Inc.,' <("$cli" --database "$tmp/vcf.db" export customers)
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:X\nEMAIL:nope@\nEND:VCARD\n' >"$tmp/bad.vcf"
err=$("$cli" --database "$tmp/vcf.db" import vcard "$tmp/bad.vcf" 2>&1 >/dev/null); rc=$?
check "bad vCard exits 1" test $rc -eq 1
check "bad vCard names line and field" grep -qF 'Line 1, email:' <<<"$err"

# kinds: unknown ones are named
err=$(bb import frobs "$data/customers-good.csv" 2>&1 >/dev/null); rc=$?
check "import of an unknown kind exits 1" test $rc -eq 1
check "unknown kind is named" grep -q 'frobs' <<<"$err"
err=$(bb export frobs 2>&1 >/dev/null); rc=$?
check "export of an unknown kind exits 1" test $rc -eq 1
check "unknown export kind is named" grep -q 'frobs' <<<"$err"
err=$(bb import prepaid "$data/customers-good.csv" 2>&1 >/dev/null); rc=$?
check "import prepaid of a customers file exits 1" test $rc -eq 1
check "import prepaid of a customers file names the columns" grep -qF 'Line 1: missing column “account”' <<<"$err"

# missing arguments and files
bb import customers >/dev/null 2>&1; rc=$?
check "import without a file exits 1" test $rc -eq 1
err=$(bb import customers "$tmp/no-such.csv" 2>&1 >/dev/null); rc=$?
check "import of a missing file exits 1" test $rc -eq 1
check "missing file is named" grep -q 'no-such.csv' <<<"$err"
bb export >/dev/null 2>&1; rc=$?
check "export without a kind exits 1" test $rc -eq 1
err=$(bb export customers -o "$tmp/no-dir/x.csv" 2>&1 >/dev/null); rc=$?
check "export into a missing folder exits 1" test $rc -eq 1
out=$(bb export customers --help 2>&1); rc=$?
check "export --help exits 0" test $rc -eq 0
check "export --help names -o" grep -q -- '--output' <<<"$out"

# invoices: bills of the customers above, one row per line item
ihead='number,customer_code,issued_on,due_on,status,description,quantity,unit_price,tax_rate_percent,discount_percent'
ibook="$tmp/bills.db"
ib() { "$cli" --database "$ibook" "$@"; }
ib import customers "$data/customers-good.csv" >/dev/null
out=$(ib import invoices "$data/invoices-good.csv" 2>"$tmp/err"); rc=$?
check "import invoices exits 0" test $rc -eq 0
check "import invoices says how many bills (got: $out)" test "$out" = "Imported 5 bills."
check "import invoices prints nothing on stderr" test ! -s "$tmp/err"

ib export invoices >"$tmp/bills.csv"; rc=$?
check "export invoices exits 0" test $rc -eq 0
check "export invoices begins with the header row" test "$(head -n 1 "$tmp/bills.csv")" = "$ihead"
check "export invoices: one row per line, quoted text" \
  grep -qF 'INV-2026-0001,C000001,2026-03-01,2026-03-31,issued,"Hammer, 500 g",2,45.00,13,10' "$tmp/bills.csv"
check "export invoices: due date from the terms" \
  grep -qF 'INV-2026-0002,C000002,2026-03-02,2026-03-16,issued,Delivery,1,20.00,0,0' "$tmp/bills.csv"
check "export invoices: a credit note's negative price" \
  grep -qF 'CN-2026-0001,C000001,2026-03-05,2026-03-05,issued,"Return: Hammer, 500 g",1,-45.00,13,10' "$tmp/bills.csv"
check "export invoices escapes a formula" \
  grep -qF "DRAFT-1,C000003,2026-03-06,2026-04-05,draft,'=SUM(A1),1,9.99,0,0" "$tmp/bills.csv"
check "export invoices: 6 line rows" test "$(wc -l <"$tmp/bills.csv")" -eq 7

rm -f "$tmp/bills-private.csv"
ib export invoices -o "$tmp/bills-private.csv"; rc=$?
check "export invoices -o exits 0" test $rc -eq 0
mode=$(stat -c %a "$tmp/bills-private.csv")
check "export invoices -o writes mode 0600 (got $mode)" test "$mode" = 600
check "export invoices -o writes what stdout gets" cmp -s "$tmp/bills-private.csv" "$tmp/bills.csv"

# a bad file: exit 1, every line and field named, nothing imported
ib export customers >"$tmp/customers-before.csv"
err=$(ib import invoices "$data/invoices-bad.csv" 2>&1 >"$tmp/bad-out"); rc=$?
check "import of a bad invoices file exits 1" test $rc -eq 1
check "nothing on stdout for a bad invoices file" test ! -s "$tmp/bad-out"
for expect in 'Line 3, issued_on: “2026-04-02” differs from “2026-04-01” on line 2' \
              'Line 4, customer_code: no customer has the code “NOPE”' \
              'Line 5, issued_on: 2026-02-30 does not exist' \
              'Line 6, quantity: “1.2345” has more than three decimals' \
              'Line 7, discount_percent: “150” is more than 100 %' \
              'Line 8, number: bill INV-2026-0001 is already in the book' \
              'Line 9, status: “paid” is not draft, review, issued or void' \
              'Line 10, number: needed to group the lines of a bill' \
              'Line 11, due_on:' 'Line 12, tax_rate_percent:' 'Line 13, unit_price:' \
              'Line 14, customer_code:' 'Line 14, status:' \
              '12 rows have problems; nothing was imported'; do
  check "stderr says: $expect" grep -qF "$expect" <<<"$err"
done
ib export invoices >"$tmp/bills-after.csv"
check "bills unchanged after a bad file" cmp -s "$tmp/bills.csv" "$tmp/bills-after.csv"
ib export customers >"$tmp/customers-after.csv"
check "customers unchanged after a bad file" cmp -s "$tmp/customers-before.csv" "$tmp/customers-after.csv"

# round trip into a new book with the same customers: byte for byte
"$cli" --database "$tmp/bills-copy.db" import customers "$data/customers-good.csv" >/dev/null
"$cli" --database "$tmp/bills-copy.db" import invoices "$tmp/bills.csv" >/dev/null; rc=$?
check "re-import of an invoices export exits 0" test $rc -eq 0
"$cli" --database "$tmp/bills-copy.db" export invoices >"$tmp/bills-copy.csv"
check "invoices export → import → export is identical" cmp -s "$tmp/bills.csv" "$tmp/bills-copy.csv"
"$cli" --database "$tmp/bills-copy.db" check >/dev/null; rc=$?
check "the copy passes check" test $rc -eq 0

# a book without those customers takes none of the bills
err=$("$cli" --database "$tmp/no-customers.db" import invoices "$data/invoices-good.csv" 2>&1 >/dev/null); rc=$?
check "import invoices without the customers exits 1" test $rc -eq 1
check "the unknown customer is named" grep -qF 'Line 2, customer_code: no customer has the code “C000001”' <<<"$err"
check "no bills in a book without the customers" \
  test "$("$cli" --database "$tmp/no-customers.db" export invoices)" = "$ihead"

# payments: on the bills above; a row with no bill is credit
phead='customer_code,invoice_number,received_on,amount,method,reference'
out=$(ib import payments "$data/payments-good.csv" 2>"$tmp/err"); rc=$?
check "import payments exits 0" test $rc -eq 0
check "import payments says how many (got: $out)" test "$out" = "Imported 5 payments."
check "import payments prints nothing on stderr" test ! -s "$tmp/err"
ib check >/dev/null; rc=$?
check "the book passes check after the payments" test $rc -eq 0

ib export payments >"$tmp/payments.csv"; rc=$?
check "export payments exits 0" test $rc -eq 0
cat >"$tmp/payments-expected.csv" <<'CSV'
customer_code,invoice_number,received_on,amount,method,reference
C000001,INV-2026-0001,2026-03-10,100.00,alipay,ALI-20260310-001
C000002,INV-2026-0002,2026-03-12,20.00,bank_transfer,'=1+1
C000001,,2026-03-15,20.00,cash,Deposit
C000003,,2026-03-20,9.99,other,"Walk-in, paid at the counter"
C000002,,2026-04-01,1005.50,card,POS 7781
CSV
check "export payments: one row per bill and per credit, a formula escaped" \
  cmp -s "$tmp/payments.csv" "$tmp/payments-expected.csv"
rm -f "$tmp/payments-private.csv"
ib export payments -o "$tmp/payments-private.csv"; rc=$?
check "export payments -o exits 0" test $rc -eq 0
mode=$(stat -c %a "$tmp/payments-private.csv")
check "export payments -o writes mode 0600 (got $mode)" test "$mode" = 600
check "export payments -o writes what stdout gets" cmp -s "$tmp/payments-private.csv" "$tmp/payments.csv"

# a bad payments file: exit 1, every line and field named, nothing imported
ib export invoices >"$tmp/bills-before-pay.csv"
err=$(ib import payments "$data/payments-bad.csv" 2>&1 >"$tmp/bad-out"); rc=$?
check "import of a bad payments file exits 1" test $rc -eq 1
check "nothing on stdout for a bad payments file" test ! -s "$tmp/bad-out"
for expect in 'Line 3, amount: 0.01 is more than the 0.00 still open on bill INV-2026-0001' \
              'Line 4, received_on: 2026-02-30 does not exist' \
              'Line 5, amount: “10.005” has more decimals than CNY allows (2)' \
              'Line 6, amount: “-5.00” is not more than zero' \
              'Line 7, amount: “0” is not more than zero' \
              'Line 8, customer_code: no customer has the code “NOPE”' \
              'Line 9, invoice_number: there is no bill numbered “INV-9999”' \
              'Line 10, invoice_number: bill INV-2026-0001 is for customer C000001, not C000002' \
              'Line 11, invoice_number: bill INV-2026-0003 is void' \
              'Line 12, invoice_number: CN-2026-0001 is a credit note' \
              'Line 13, method: “bitcoin” is not one of cash, bank_transfer, card, alipay, wechat_pay, prepaid, other' \
              'Line 14, method: a payment from a prepaid card' \
              'Line 15, reference: contains a control character (U+0007)' \
              'Line 16, customer_code: needed' 'Line 17, method: needed' 'Line 18, amount: enter an amount' \
              'Line 19: the row has more fields than the header has columns' \
              '17 rows have problems; nothing was imported'; do
  check "stderr says: $expect" grep -qF "$expect" <<<"$err"
done
ib export payments >"$tmp/payments-after.csv"
check "payments unchanged after a bad file" cmp -s "$tmp/payments.csv" "$tmp/payments-after.csv"
ib export invoices >"$tmp/bills-after-pay.csv"
check "bills unchanged after a bad payments file" cmp -s "$tmp/bills-before-pay.csv" "$tmp/bills-after-pay.csv"
printf '%s\nC000001,,2026-04-01,1.00,cash,\377\376 not text\n' "$phead" >"$tmp/not-utf8.csv"
err=$(ib import payments "$tmp/not-utf8.csv" 2>&1 >/dev/null); rc=$?
check "payments that are not text exit 1" test $rc -eq 1
check "the line and column that are not text are named" grep -qF 'Line 2, column “reference”: not UTF-8 or GB18030 text' <<<"$err"

# round trip into the copy, which has the same customers and bills
"$cli" --database "$tmp/bills-copy.db" import payments "$tmp/payments.csv" >/dev/null; rc=$?
check "re-import of a payments export exits 0" test $rc -eq 0
"$cli" --database "$tmp/bills-copy.db" export payments >"$tmp/payments-copy.csv"
check "payments export → import → export is identical" cmp -s "$tmp/payments.csv" "$tmp/payments-copy.csv"
"$cli" --database "$tmp/bills-copy.db" check >/dev/null; rc=$?
check "the copy with payments passes check" test $rc -eq 0

# reports: the header row, then the rows
out=$(ib report aging --as-of 2026-04-15); rc=$?
check "report aging exits 0" test $rc -eq 0
expected=$'customer_code,name,current,d1_30,d31_60,d61_90,d90_plus,total\nC000001,张三,0.00,31.08,0.00,0.00,0.00,31.08'
check "report aging as of 2026-04-15 (got: ${out//$'\n'/ | })" test "$out" = "$expected"
out=$(ib report aging --as-of 2026-03-11)
expected=$'customer_code,name,current,d1_30,d31_60,d61_90,d90_plus,total\nC000001,张三,31.08,0.00,0.00,0.00,0.00,31.08\nC000002,Anna Schmidt,20.00,0.00,0.00,0.00,0.00,20.00'
check "report aging as of 2026-03-11: before the second payment (got: ${out//$'\n'/ | })" test "$out" = "$expected"
out=$(ib report aging --as-of 2026-06-01)
check "report aging: 62 days late is 61–90 (got: ${out//$'\n'/ | })" grep -qF 'C000001,张三,0.00,0.00,0.00,31.08,0.00,31.08' <<<"$out"
out=$(ib report aging --as-of 2026-02-01)
check "report aging before any bill: the header only (got: ${out//$'\n'/ | })" \
  test "$out" = 'customer_code,name,current,d1_30,d31_60,d61_90,d90_plus,total'
ib report aging >/dev/null; rc=$?
check "report aging without --as-of (today) exits 0" test $rc -eq 0

out=$(ib report collections --from 2026-02-01 --to 2026-04-30); rc=$?
check "report collections exits 0" test $rc -eq 0
expected=$'month,amount\n2026-02,0.00\n2026-03,149.99\n2026-04,1005.50'
check "report collections by month (got: ${out//$'\n'/ | })" test "$out" = "$expected"
out=$(ib report collections)
expected=$'month,amount\n2026-03,149.99\n2026-04,1005.50'
check "report collections without bounds: first to last month (got: ${out//$'\n'/ | })" test "$out" = "$expected"
rm -f "$tmp/aging.csv"
ib report aging --as-of 2026-04-15 -o "$tmp/aging.csv"; rc=$?
check "report -o exits 0" test $rc -eq 0
mode=$(stat -c %a "$tmp/aging.csv")
check "report -o writes mode 0600 (got $mode)" test "$mode" = 600
check "report -o writes the report" grep -qF 'C000001,张三,0.00,31.08' "$tmp/aging.csv"

# reports: what is wrong is named
err=$(ib report aging --as-of 2026-02-30 2>&1 >/dev/null); rc=$?
check "report with a bad date exits 1" test $rc -eq 1
check "the bad date is named (got: $err)" grep -qF -- '--as-of: 2026-02-30 does not exist' <<<"$err"
err=$(ib report collections --from 2026-05-01 --to 2026-04-01 2>&1 >/dev/null); rc=$?
check "report collections with --from after --to exits 1" test $rc -eq 1
check "--from after --to is named (got: $err)" grep -qF -- '--from: 2026-05-01 is after --to 2026-04-01' <<<"$err"
err=$(ib report aging --from 2026-01-01 2>&1 >/dev/null); rc=$?
check "report aging --from exits 1" test $rc -eq 1
check "report aging --from says to use --as-of" grep -qF -- '--as-of' <<<"$err"
err=$(ib report collections --as-of 2026-01-01 2>&1 >/dev/null); rc=$?
check "report collections --as-of exits 1" test $rc -eq 1
err=$(ib report frobs 2>&1 >/dev/null); rc=$?
check "an unknown report exits 1" test $rc -eq 1
check "the unknown report is named" grep -q 'frobs' <<<"$err"
ib report >/dev/null 2>&1; rc=$?
check "report without a name exits 1" test $rc -eq 1
err=$(ib report aging --format png 2>&1 >/dev/null); rc=$?
check "report --format png without -o exits 1" test $rc -eq 1
check "report --format png asks for -o FILE" grep -qF -- '-o FILE' <<<"$err"
out=$("$cli" --help 2>&1)
check "--help lists report aging" grep -q 'report aging' <<<"$out"
check "--help lists import payments" grep -q 'import customers|invoices|payments|prepaid|vcard' <<<"$out"

# remind: what is due as of a day (bb-reminders.c), as CSV; reads only
rhead='due_on,kind,customer_code,subject,amount'
ib export invoices >"$tmp/bills-before-remind.csv"
ib export payments >"$tmp/payments-before-remind.csv"
out=$(ib remind --as-of 2026-03-29 2>"$tmp/err"); rc=$?
check "remind exits 0" test $rc -eq 0
check "remind prints nothing on stderr" test ! -s "$tmp/err"
expected="$rhead"$'\n2026-03-31,due_soon,C000001,INV-2026-0001,31.08'
check "remind 2 days before the due date: due soon, for what is still owed (got: ${out//$'\n'/ | })" \
  test "$out" = "$expected"
out=$(ib remind --as-of 2026-04-15)
expected="$rhead"$'\n2026-03-31,overdue,C000001,INV-2026-0001,31.08'
check "remind 15 days after: overdue; paid, credit note, draft and void bills are not listed (got: ${out//$'\n'/ | })" \
  test "$out" = "$expected"
out=$(ib remind --as-of 2026-02-01)
check "remind before anything is due: the header only (got: $out)" test "$out" = "$rhead"
ib remind >/dev/null; rc=$?
check "remind without --as-of (now) exits 0" test $rc -eq 0
rm -f "$tmp/remind.csv"
ib remind --as-of 2026-04-15 -o "$tmp/remind.csv"; rc=$?
check "remind -o exits 0" test $rc -eq 0
mode=$(stat -c %a "$tmp/remind.csv")
check "remind -o writes mode 0600 (got $mode)" test "$mode" = 600
check "remind -o writes the list" grep -qxF '2026-03-31,overdue,C000001,INV-2026-0001,31.08' "$tmp/remind.csv"
ib export invoices >"$tmp/bills-after-remind.csv"
ib export payments >"$tmp/payments-after-remind.csv"
check "remind changes no bill" cmp -s "$tmp/bills-before-remind.csv" "$tmp/bills-after-remind.csv"
check "remind changes no payment" cmp -s "$tmp/payments-before-remind.csv" "$tmp/payments-after-remind.csv"
err=$(ib remind --as-of 2026-02-30 2>&1 >/dev/null); rc=$?
check "remind with a bad date exits 1" test $rc -eq 1
check "the bad date is named (got: $err)" grep -qF -- '--as-of: 2026-02-30 does not exist' <<<"$err"
# --notify sends (tests/test-notify.py, with a notification server); it
# writes no file
err=$(ib remind --notify -o "$tmp/notify.csv" 2>&1 >/dev/null); rc=$?
check "remind --notify -o exits 1" test $rc -eq 1
check "remind --notify -o says to leave out --output (got: $err)" grep -q -- 'leave out --output' <<<"$err"
check "remind --notify -o writes nothing" test ! -e "$tmp/notify.csv"
# export ics: the due dates of bills still owed, as iCalendar (bb-ical.c)
out=$(ib export ics); rc=$?
check "export ics exits 0" test $rc -eq 0
check "export ics writes a calendar" grep -q $'^BEGIN:VCALENDAR\r$' <<<"$out"
check "export ics has the overdue bill on its due date" grep -q $'^SUMMARY:Bill INV-2026-0001 due: ' <<<"$out"
ib export ics -o "$tmp/due.ics"; rc=$?
check "export ics -o exits 0" test $rc -eq 0
check "export ics -o writes mode 0600" test "$(stat -c %a "$tmp/due.ics")" = 600
check "export ics -o ends the calendar with CRLF" test "$(tail -c 15 "$tmp/due.ics" | od -An -c | tr -s ' ')" = " E N D : V C A L E N D A R \r \n"
err=$(ib remind soon 2>&1 >/dev/null); rc=$?
check "remind with an argument exits 1" test $rc -eq 1
check "the unexpected argument is named" grep -q 'soon' <<<"$err"
out=$("$cli" --help 2>&1)
check "--help lists remind" grep -qF 'remind [--as-of DATE]' <<<"$out"

# prepaid: cards' ledgers (bb-prepaid-io.c) and what each card holds
pphead='customer_code,account,date,kind,amount,note'
bhead='customer_code,account,balance,expires_on'
pbook="$tmp/prepaid.db"
pb() { "$cli" --database "$pbook" "$@"; }
pb import customers "$data/customers-good.csv" >/dev/null
out=$(pb import prepaid "$data/prepaid-good.csv" 2>"$tmp/err"); rc=$?
check "import prepaid exits 0" test $rc -eq 0
check "import prepaid says how many (got: $out)" test "$out" = "Imported 11 prepaid entries."
check "import prepaid prints nothing on stderr" test ! -s "$tmp/err"
pb check >/dev/null; rc=$?
check "the book passes check after the prepaid entries" test $rc -eq 0

pb export prepaid >"$tmp/prepaid.csv"; rc=$?
check "export prepaid exits 0" test $rc -eq 0
cat >"$tmp/prepaid-expected.csv" <<'CSV'
customer_code,account,date,kind,amount,note
C000001,Car wash package,2026-03-02,topup,300.00,
C000001,Car wash package,2026-03-10,charge,30.00,"Wash, wax"
C000001,会员卡,2026-03-01,topup,1000.00,首充
C000001,会员卡,2026-03-01,bonus,100.00,充1000送100
C000001,会员卡,2026-03-05,charge,250.50,洗车 Car wash
C000001,会员卡,2026-03-06,adjust,-0.50,Rounding
C000002,Membership card,2026-03-03,topup,500.00,'=1+1
C000002,Membership card,2026-03-20,refund,200.00,Moving away
C000002,Membership card,2026-03-21,adjust,10.00,Goodwill
C000003,Gift card,2026-01-01,topup,50.00,
C000003,Gift card,2026-06-30,expiry,50.00,
CSV
check "export prepaid: card by card, amounts by kind, adjust signed, a formula escaped" \
  cmp -s "$tmp/prepaid.csv" "$tmp/prepaid-expected.csv"
rm -f "$tmp/prepaid-private.csv"
pb export prepaid -o "$tmp/prepaid-private.csv"; rc=$?
check "export prepaid -o exits 0" test $rc -eq 0
mode=$(stat -c %a "$tmp/prepaid-private.csv")
check "export prepaid -o writes mode 0600 (got $mode)" test "$mode" = 600
check "export prepaid -o writes what stdout gets" cmp -s "$tmp/prepaid-private.csv" "$tmp/prepaid.csv"

# balance: every open card, or one customer's
out=$(pb balance 2>"$tmp/err"); rc=$?
check "balance exits 0" test $rc -eq 0
check "balance prints nothing on stderr" test ! -s "$tmp/err"
expected="$bhead"$'\nC000001,Car wash package,270.00,\nC000001,会员卡,849.00,\nC000002,Membership card,310.00,\nC000003,Gift card,0.00,'
check "balance of every card (got: ${out//$'\n'/ | })" test "$out" = "$expected"
out=$(pb balance C000001)
expected="$bhead"$'\nC000001,Car wash package,270.00,\nC000001,会员卡,849.00,'
check "balance of one customer (got: ${out//$'\n'/ | })" test "$out" = "$expected"
err=$(pb balance NOPE 2>&1 >"$tmp/bad-out"); rc=$?
check "balance of an unknown customer exits 1" test $rc -eq 1
check "balance names the unknown code (got: $err)" grep -qF 'No customer has the code “NOPE”' <<<"$err"
check "nothing on stdout for an unknown customer" test ! -s "$tmp/bad-out"
pb balance C000001 C000002 >/dev/null 2>&1; rc=$?
check "balance with two codes exits 1" test $rc -eq 1
out=$(pb --help 2>&1)
check "--help lists balance" grep -qF 'balance [CUSTOMER_CODE]' <<<"$out"

# a bad prepaid file: exit 1, every line and field named, nothing imported
pbad="$tmp/prepaid-bad.db"
"$cli" --database "$pbad" import customers "$data/customers-good.csv" >/dev/null
err=$("$cli" --database "$pbad" import prepaid "$data/prepaid-bad.csv" 2>&1 >"$tmp/bad-out"); rc=$?
check "import of a bad prepaid file exits 1" test $rc -eq 1
check "nothing on stdout for a bad prepaid file" test ! -s "$tmp/bad-out"
for expect in 'Line 3, amount: ¥100.01 is more than the balance of ¥100.00 on 会员卡' \
              'Line 4, date: 2026-02-30 does not exist' \
              'Line 5, amount: “-5.00” is not more than zero' \
              'Line 6, kind: “redeem” is not one of topup, bonus, charge, refund, expiry, adjust' \
              'Line 7, customer_code: no customer has the code “NOPE”' \
              'Line 8, account: needed' \
              'Line 9, amount: an adjustment of nothing changes nothing' \
              'Line 10, note: say why the balance is adjusted' \
              'Line 11, amount: an expiry writes off the whole balance, ¥100.00' \
              'Line 12, amount: “10.005” has more decimals than CNY allows (2)' \
              'Line 13, kind: needed' \
              'Line 15, amount: ¥1.00 is more than the balance of ¥0.00 on 会员卡' \
              'Line 18, date: 2026-06-01 is before the card’s money expired on 2026-06-30' \
              'Line 19: the row has more fields than the header has columns' \
              '14 rows have problems; nothing was imported'; do
  check "stderr says: $expect" grep -qF "$expect" <<<"$err"
done
check "no good line is named" bash -c '! grep -qE "^Line (2|14|16|17)[,:]" <<<"$1"' _ "$err"
out=$("$cli" --database "$pbad" export prepaid)
check "no entries after a bad file" test "$out" = "$pphead"
out=$("$cli" --database "$pbad" balance)
check "no cards after a bad file" test "$out" = "$bhead"
pb import prepaid "$data/prepaid-bad.csv" >/dev/null 2>&1; rc=$?
check "a bad file into a book with cards exits 1" test $rc -eq 1
pb export prepaid >"$tmp/prepaid-after.csv"
check "the cards unchanged after a bad file" cmp -s "$tmp/prepaid.csv" "$tmp/prepaid-after.csv"

# round trip into a new book with the same customers: byte for byte
pcopy="$tmp/prepaid-copy.db"
"$cli" --database "$pcopy" import customers "$data/customers-good.csv" >/dev/null
"$cli" --database "$pcopy" import prepaid "$tmp/prepaid.csv" >/dev/null; rc=$?
check "re-import of a prepaid export exits 0" test $rc -eq 0
"$cli" --database "$pcopy" export prepaid >"$tmp/prepaid-copy.csv"
check "prepaid export → import → export is identical" cmp -s "$tmp/prepaid.csv" "$tmp/prepaid-copy.csv"
"$cli" --database "$pcopy" check >/dev/null; rc=$?
check "the prepaid copy passes check" test $rc -eq 0

# expiry: a card whose day has passed holds nothing, written off once
if command -v sqlite3 >/dev/null; then
  sqlite3 "$pbook" "UPDATE prepaid_accounts SET validity = 'fixed', expires_on = '2026-04-01' WHERE name = 'Membership card'"
  out=$(pb balance C000002)
  check "balance after the card's day: written off (got: ${out//$'\n'/ | })" \
    test "$out" = "$bhead"$'\nC000002,Membership card,0.00,2026-04-01'
  pb balance >/dev/null
  n_expiry=$(pb export prepaid | grep -c '^C000002,Membership card,2026-04-01,expiry,310.00,$')
  check "one expiry entry, however often balance runs (got $n_expiry)" test "$n_expiry" -eq 1
  pb check >/dev/null; rc=$?
  check "the book passes check after the expiry" test $rc -eq 0

  # check accounts: a kept figure that disagrees with the ledger is named
  sqlite3 "$pbook" "UPDATE prepaid_accounts SET points = 5 WHERE name = 'Car wash package'"
  err=$(pb check 2>&1 >/dev/null); rc=$?
  check "check with wrong points exits 1" test $rc -eq 1
  check "check names the card and both figures" \
    grep -qF 'Prepaid account Car wash package of C000001: points are 5 but its ledger adds up to 0' <<<"$err"
fi

echo "1..$n"
exit $((failures > 0))
