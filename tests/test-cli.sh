#!/bin/bash
# test-cli.sh — billbook-cli as a process: exit codes, messages, file mode.
#   test-cli.sh path/to/billbook-cli
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

# --version and --help
out=$("$cli" --version); rc=$?
check "--version exits 0" test $rc -eq 0
check "--version prints the version" grep -qE '^billbook-cli [0-9]+\.[0-9]+' <<<"$out"
out=$("$cli" --help 2>&1); rc=$?
check "--help exits 0" test $rc -eq 0
check "--help lists check" grep -q 'check' <<<"$out"
check "--help lists --database" grep -q -- '--database' <<<"$out"

# check on a new file: exit 0, file created with mode 0600
out=$("$cli" --database "$tmp/x.db" check 2>&1); rc=$?
check "check on a new book exits 0" test $rc -eq 0
check "check says the book is sound" grep -q 'sound' <<<"$out"
mode=$(stat -c %a "$tmp/x.db")
check "new book has mode 0600 (got $mode)" test "$mode" = 600

# a file that is not a database: exit 1, message names the file
printf 'name,amount\nZhang San,1\n%0200d\n' 0 > "$tmp/not.db"
sum_before=$(sha256sum < "$tmp/not.db")
err=$("$cli" --database "$tmp/not.db" check 2>&1 >/dev/null); rc=$?
check "check on a non-database exits 1" test $rc -eq 1
check "message names the file" grep -q "$tmp/not.db" <<<"$err"
check "non-database left untouched" test "$(sha256sum < "$tmp/not.db")" = "$sum_before"

# a book from a newer Billbook: exit 1, untouched
"$cli" --database "$tmp/new.db" check >/dev/null
if command -v sqlite3 >/dev/null; then
  sqlite3 "$tmp/new.db" 'PRAGMA user_version = 42; PRAGMA journal_mode = DELETE;' >/dev/null
  sum_before=$(sha256sum < "$tmp/new.db")
  err=$("$cli" --database "$tmp/new.db" check 2>&1 >/dev/null); rc=$?
  check "check on a newer book exits 1" test $rc -eq 1
  check "message says newer version" grep -q 'newer version' <<<"$err"
  check "newer book left untouched" test "$(sha256sum < "$tmp/new.db")" = "$sum_before"
fi

# a kept balance that disagrees with the money rows is found and named
if command -v sqlite3 >/dev/null; then
  "$cli" --database "$tmp/t.db" check >/dev/null
  sqlite3 "$tmp/t.db" "INSERT INTO customers (code, name, created_at, updated_at, outstanding) VALUES ('C77', 'x', '', '', 500)"
  err=$("$cli" --database "$tmp/t.db" check 2>&1 >/dev/null); rc=$?
  check "check on a book with a wrong balance exits 1" test $rc -eq 1
  check "the message names the customer and both amounts" grep -q 'Customer C77: outstanding is 500 but their bills add up to 0' <<<"$err"
fi

# bench on a small sample book: every operation timed beside its floor,
# and the book only read
"$cli" --database "$tmp/bench.db" demo --customers 200 --invoices 1500 >/dev/null 2>&1
if command -v sqlite3 >/dev/null; then before=$(sqlite3 "$tmp/bench.db" .sha3sum); fi
out=$("$cli" --database "$tmp/bench.db" bench --queries 5 2>&1); rc=$?
check "bench exits 0" test $rc -eq 0
for op in 'search keystroke (count + first page)' 'open customer' 'bill list: page at a random place' \
          'reminders (' 'aging report' 'on-time payment report' 'bill PDF'; do
  check "bench times: $op" grep -qF "$op" <<<"$out"
done
check "bench gives the reminders a wall time, a floor and a verdict" \
  grep -qE '^reminders \([0-9]+ due\) +5 +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+ ms .*(met|not met)$' <<<"$out"
check "bench says what the floor is" grep -q 'the same queries run again alone' <<<"$out"
if command -v sqlite3 >/dev/null; then
  check "bench leaves the book as it was" test "$(sqlite3 "$tmp/bench.db" .sha3sum)" = "$before"
fi

# unknown command and no command: exit 1 with a message
err=$("$cli" --database "$tmp/x.db" frobnicate 2>&1 >/dev/null); rc=$?
check "unknown command exits 1" test $rc -eq 1
check "unknown command is named" grep -q 'frobnicate' <<<"$err"
"$cli" --database "$tmp/x.db" >/dev/null 2>&1; rc=$?
check "no command exits 1" test $rc -eq 1

echo "1..$n"
exit $((failures > 0))
