#!/bin/bash
# test-cli-report.sh — billbook-cli report methods|top|classes|liability|on-time
# as a process: the CSV of a small book, the chart and table as PNG and PDF,
# and what is wrong named.
#   test-cli-report.sh path/to/billbook-cli
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

# Three customers; bills due 01-31 (paid that day), 02-28 (paid late) and
# 03-31 (unpaid); a card topped up with 1,000 and charged 250.
cat >"$tmp/customers.csv" <<'CSV'
code,name,company,phone,email,address,tax_id,class,credit_limit,payment_terms_days,tags,notes
C1,王小明,,138 0013 8000,,,,B,0,30,,
C2,Harbour Bakery,,021 5555 0101,,,,B,0,30,,
C3,=Li Na,,139 0000 0003,,,,B,0,30,,
CSV
cat >"$tmp/invoices.csv" <<'CSV'
number,customer_code,issued_on,due_on,status,description,quantity,unit_price,tax_rate_percent,discount_percent
B-1,C1,2026-01-01,2026-01-31,issued,Service,1,100.00,0,
B-2,C1,2026-02-01,2026-02-28,issued,Service,1,200.00,0,
B-3,C2,2026-03-01,2026-03-31,issued,Service,1,500.00,0,
CSV
cat >"$tmp/payments.csv" <<'CSV'
customer_code,invoice_number,received_on,amount,method,reference
C1,B-1,2026-01-31,100.00,wechat_pay,
C1,B-2,2026-03-02,200.00,cash,
C3,,2026-02-10,30.00,cash,
CSV
cat >"$tmp/prepaid.csv" <<'CSV'
customer_code,account,date,kind,amount,note
C2,会员卡,2026-01-20,topup,1000.00,
C2,会员卡,2026-03-05,charge,250.00,
CSV
for kind in customers invoices payments prepaid; do
  bb import $kind "$tmp/$kind.csv" >/dev/null; rc=$?
  check "import $kind exits 0" test $rc -eq 0
done

expect_report() { # description, expected output, then the report's arguments
  local what=$1 expected=$2 out rc; shift 2
  out=$(bb report "$@"); rc=$?
  check "report $* exits 0" test $rc -eq 0
  check "$what (got: ${out//$'\n'/ | })" test "$out" = "$expected"
}

expect_report "methods: by method, the largest first" \
  $'method,amount\ncash,230.00\nwechat_pay,100.00' methods --from 2026-01-01 --to 2026-03-31
expect_report "methods: only the period's payments" \
  $'method,amount\nwechat_pay,100.00' methods --from 2026-01-01 --to 2026-01-31
expect_report "top: by paid (the default), formula text escaped" \
  $'customer_code,name,paid\nC1,王小明,300.00\nC3,\'=Li Na,30.00' top --from 2026-01-01 --to 2026-03-31
expect_report "top --limit 1" $'customer_code,name,paid\nC1,王小明,300.00' top --limit 1
expect_report "top --by billed" \
  $'customer_code,name,billed\nC2,Harbour Bakery,500.00\nC1,王小明,300.00' top --by billed
expect_report "top --by owed as of a day" \
  $'customer_code,name,owed\nC2,Harbour Bakery,500.00\nC1,王小明,200.00' top --by owed --to 2026-03-01
expect_report "classes: every class, shares in percent" \
  $'class,customers,customers_percent,billed,billed_percent\nA,0,0.00,0.00,0.00\nB,3,100.00,800.00,100.00\nC,0,0.00,0.00,0.00' \
  classes --from 2026-01-01 --to 2026-03-31
expect_report "liability: the cards at each month end" \
  $'month,liability\n2026-01,1000.00\n2026-02,1000.00\n2026-03,750.00\n2026-04,750.00' \
  liability --from 2026-01-01 --to 2026-04-15
expect_report "on-time: bills due each month, paid by the due date" \
  $'month,due,on_time,on_time_percent\n2026-01,1,1,100.00\n2026-02,1,0,0.00\n2026-03,1,0,0.00' \
  on-time --from 2026-01-01 --to 2026-03-31
out=$(bb report liability | tail -n 1)
check "liability without --to ends this month (got: $out)" test "$out" = "$(date +%Y-%m),750.00"

# PNG and PDF: the chart and its table
for report in aging collections methods top classes liability on-time; do
  bb report $report --format png -o "$tmp/$report.png"; rc=$?
  check "report $report --format png exits 0" test $rc -eq 0
  check "report $report --format png writes a PNG" \
    test "$(head -c 8 "$tmp/$report.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n'
  bb report $report --format pdf -o "$tmp/$report.pdf"; rc=$?
  check "report $report --format pdf exits 0" test $rc -eq 0
  check "report $report --format pdf writes a PDF" test "$(head -c 5 "$tmp/$report.pdf")" = '%PDF-'
done
text=$(pdftotext "$tmp/top.pdf" - 2>/dev/null)
check "the PDF has the chart's title" grep -q 'Top customers by paid' <<<"$text"
check "the PDF has the table's headings" grep -q 'Customer' <<<"$text"
check "the PDF has the table's rows" grep -q 'Harbour Bakery' <<<"$(pdftotext "$tmp/aging.pdf" - 2>/dev/null)"
mode=$(stat -c %a "$tmp/top.pdf")
check "the PDF is readable by its owner only (got $mode)" test "$mode" = 600
mode=$(stat -c %a "$tmp/top.png")
check "the PNG is readable by its owner only (got $mode)" test "$mode" = 600
touch "$tmp/old.png"; chmod 644 "$tmp/old.png"
bb report methods --format png -o "$tmp/old.png"
mode=$(stat -c %a "$tmp/old.png")
check "a file replaced is readable by its owner only (got $mode)" test "$mode" = 600
err=$(bb report methods --format pdf -o "$tmp/no-such-dir/x.pdf" 2>&1 >/dev/null); rc=$?
check "a PDF in a folder that does not exist exits 1" test $rc -eq 1
check "the file is named (got: $err)" grep -qF "no-such-dir/x.pdf" <<<"$err"
pages=$(pdfinfo "$tmp/top.pdf" | awk '/^Pages:/ { print $2 }')
check "a short table is one page (got $pages)" test "$pages" = 1

# A long table goes on to more pages, each with the headings.
{
  echo 'code,name,company,phone,email,address,tax_id,class,credit_limit,payment_terms_days,tags,notes'
  for i in $(seq 100 259); do echo "K$i,Customer $i,,,,,,B,0,30,,"; done
} >"$tmp/many.csv"
{
  echo 'customer_code,invoice_number,received_on,amount,method,reference'
  for i in $(seq 100 259); do echo "K$i,,2026-02-01,$i.00,card,"; done
} >"$tmp/many-pay.csv"
bb import customers "$tmp/many.csv" >/dev/null && bb import payments "$tmp/many-pay.csv" >/dev/null
bb report top --limit 0 --format pdf -o "$tmp/long.pdf"; rc=$?
check "report top --limit 0 --format pdf exits 0" test $rc -eq 0
pages=$(pdfinfo "$tmp/long.pdf" | awk '/^Pages:/ { print $2 }')
check "163 rows take more than one page (got $pages)" test "$pages" -gt 1
text=$(pdftotext -f 2 -l 2 "$tmp/long.pdf" - 2>/dev/null)
check "the next page has the headings again" grep -q 'Customer' <<<"$text"
check "pages are numbered" grep -q "Page 2 of $pages" <<<"$text"
check "every row is in the PDF" grep -q 'Customer 100' <<<"$(pdftotext "$tmp/long.pdf" - 2>/dev/null)"

# What is wrong is named.
err=$(bb report top --format png 2>&1 >/dev/null); rc=$?
check "--format png without -o exits 1" test $rc -eq 1
check "--format png without -o asks for -o (got: $err)" grep -qF -- '-o FILE' <<<"$err"
err=$(bb report top --format gif -o "$tmp/x.gif" 2>&1 >/dev/null); rc=$?
check "--format gif exits 1" test $rc -eq 1
check "--format gif is named (got: $err)" grep -qF '“gif” is not a format' <<<"$err"
err=$(bb report methods --limit 3 2>&1 >/dev/null); rc=$?
check "methods --limit exits 1" test $rc -eq 1
check "--limit is for top (got: $err)" grep -qF -- '--limit and --by are for top' <<<"$err"
err=$(bb report top --by loudest 2>&1 >/dev/null); rc=$?
check "top --by loudest exits 1" test $rc -eq 1
check "the ranking is named (got: $err)" grep -qF '“loudest” is not a ranking' <<<"$err"
err=$(bb report top --limit many 2>&1 >/dev/null); rc=$?
check "top --limit many exits 1" test $rc -eq 1
check "--limit is named (got: $err)" grep -qF -- '--limit' <<<"$err"
err=$(bb report on-time --as-of 2026-01-01 2>&1 >/dev/null); rc=$?
check "on-time --as-of exits 1" test $rc -eq 1
err=$(bb report liability --from 2026-05-01 --to 2026-04-01 2>&1 >/dev/null); rc=$?
check "liability with --from after --to exits 1" test $rc -eq 1
check "--from after --to is named (got: $err)" grep -qF -- '--from: 2026-05-01 is after --to 2026-04-01' <<<"$err"
err=$(bb report top --by owed --from 2026-01-01 2>&1 >/dev/null); rc=$?
check "top --by owed --from exits 1" test $rc -eq 1
out=$("$cli" --help 2>&1)
check "--help lists report top" grep -q 'report top' <<<"$out"
check "--help lists report liability|on-time" grep -q 'report liability|on-time' <<<"$out"

bb check >/dev/null; rc=$?
check "the book passes check" test $rc -eq 0

echo "1..$n"
exit $((failures > 0))
