#!/bin/bash
# test-invoice-pdf.sh — a bill as a PDF file, read back as a reader would:
# pages, text (English and Chinese), fonts embedded, errors named.
#   test-invoice-pdf.sh path/to/billbook-cli path/to/test-invoice-pdf [path/to/po/zh_CN.po]
set -u
cli=$1
maker=$2
po=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
n=0

ok()   { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
skip() { n=$((n + 1)); echo "ok $n - # SKIP $1"; }

if ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null; then
  echo "1..0 # SKIP poppler-utils (pdftotext, pdfinfo) is not installed"
  exit 0
fi

value() { sed -n "s/^$1=//p" "$2"; }

# -- A 120-line English bill ------------------------------------------------
"$maker" --make-book "$tmp/en.db" --lines 120 >"$tmp/en.txt" || exit 1
number=$(value number "$tmp/en.txt")
total=$(value total "$tmp/en.txt")

"$cli" --database "$tmp/en.db" invoice pdf "$number" -o "$tmp/en.pdf" >"$tmp/said"; rc=$?
check "it says where the bill went" grep -qF "Wrote bill $number to $tmp/en.pdf." "$tmp/said"
check "invoice pdf exits 0" test $rc -eq 0
check "the PDF is written" test -s "$tmp/en.pdf"
pages=$(pdfinfo "$tmp/en.pdf" | sed -n 's/^Pages: *//p')
check "120 lines take more than one page (got $pages)" test "${pages:-0}" -gt 1
pdftotext -layout "$tmp/en.pdf" "$tmp/en-text.txt"
check "the bill number is printed ($number)" grep -qF "$number" "$tmp/en-text.txt"
check "the total is printed ($total)" grep -qF "$total" "$tmp/en-text.txt"
check "every page says which page it is" \
  test "$(grep -c "Page [0-9]* of $pages" "$tmp/en-text.txt")" -eq "$pages"
last_page=$(pdftotext -f "$pages" -l "$pages" -layout "$tmp/en.pdf" -)
check "the last page carries the totals" test -n "$(grep -E " Total +" <<<"$last_page" | grep -F "$total")"
middle_page=$(pdftotext -f 2 -l 2 -layout "$tmp/en.pdf" -)
check "a middle page repeats the column headings" grep -q "Description" <<<"$middle_page"
check "a middle page has no totals" test -z "$(grep -E " Total +[^ ]" <<<"$middle_page")"
size=$(pdfinfo "$tmp/en.pdf" | sed -n 's/^Page size: *//p')
check "paper is A4 by default ($size)" grep -q "595.* x 841" <<<"$size"

"$cli" --database "$tmp/en.db" invoice pdf "$number" -o "$tmp/letter.pdf" --paper letter >/dev/null
size=$(pdfinfo "$tmp/letter.pdf" | sed -n 's/^Page size: *//p')
check "--paper letter gives US Letter ($size)" grep -q "612 x 792" <<<"$size"

# -- A Chinese bill -----------------------------------------------------------
"$maker" --make-book "$tmp/zh.db" --chinese --lines 30 >"$tmp/zh.txt" || exit 1
number=$(value number "$tmp/zh.txt")
# In Chinese, with the translation built from the source
zh_env=(LANGUAGE=zh_CN)
if [[ -n $po ]] && command -v msgfmt >/dev/null; then
  mkdir -p "$tmp/locale/zh_CN/LC_MESSAGES"
  msgfmt -o "$tmp/locale/zh_CN/LC_MESSAGES/billbook.mo" "$po"
  zh_env+=(BILLBOOK_LOCALEDIR="$tmp/locale")
fi
env "${zh_env[@]}" "$cli" --database "$tmp/zh.db" invoice pdf "$number" -o "$tmp/zh.pdf" >"$tmp/said"; rc=$?
check "a Chinese bill is written" test $rc -eq 0
pdftotext "$tmp/zh.pdf" "$tmp/zh-text.txt"
check "Chinese item text can be found in the PDF" grep -qF "复印纸" "$tmp/zh-text.txt"
check "Chinese customer text can be found in the PDF" grep -qF "公司" "$tmp/zh-text.txt"
check "the amount in words is in Chinese capitals" grep -qE "[壹贰叁肆伍陆柒捌玖][拾佰仟万亿].*元" "$tmp/zh-text.txt"
if [[ -n $po ]] && command -v msgfmt >/dev/null; then
  check "the CLI speaks Chinese" grep -qF "$number" "$tmp/said"
  check "the CLI message is translated (got: $(cat "$tmp/said"))" test -z "$(grep -F 'Wrote bill' "$tmp/said")"
  check "the bill's headings are in Chinese" grep -qF "合计" "$tmp/zh-text.txt"
  check "no English heading is left" test -z "$(grep -E '\b(Subtotal|Total|Bill to|Balance due)\b' "$tmp/zh-text.txt")"
else
  skip "msgfmt is not installed"
fi
if command -v pdffonts >/dev/null; then
  check "every font is embedded" test "$(pdffonts "$tmp/zh.pdf" | awk 'NR > 2 && $(NF-4) != "yes"' | wc -l)" -eq 0
else
  skip "pdffonts is not installed"
fi

# -- Errors name what is wrong, and write nothing ----------------------------
err=$("$cli" --database "$tmp/en.db" invoice pdf NO-SUCH -o "$tmp/none.pdf" 2>&1); rc=$?
check "an unknown number exits 1" test $rc -eq 1
check "the message names the number (got: $err)" grep -qF "NO-SUCH" <<<"$err"
check "no file is left behind" test ! -e "$tmp/none.pdf"
err=$("$cli" --database "$tmp/en.db" invoice pdf "$number" 2>&1); rc=$?
check "without -o it exits 1 and asks for -o" test $rc -eq 1 -a -n "$(grep -- '-o' <<<"$err")"

echo "1..$n"
test $failures -eq 0
