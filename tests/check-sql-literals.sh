#!/bin/sh
# No SQL is built by gluing data into its text (DESIGN.md, STYLE.md): every
# value is bound to a prepared statement. This finds printf-style SQL and
# sqlite3_mprintf in src/. The few statements that take a number made by
# the code itself (a schema version, a savepoint depth) say so with the
# marker "sql-ok:" and a reason on the same line.
set -eu
found=$(grep -rnE '(printf|strconcat|strjoin) *\(.*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|SAVEPOINT|RELEASE|ROLLBACK TO|WHERE|VALUES)\b' "$1" \
        | grep -v 'sql-ok:' || true)
mprintf=$(grep -rn 'sqlite3_mprintf\|sqlite3_vmprintf\|sqlite3_snprintf' "$1" || true)
if [ -n "$found$mprintf" ]; then
  echo "SQL built with data in src/ (use a bound parameter, or mark a code-made number with sql-ok:):" >&2
  printf '%s\n%s\n' "$found" "$mprintf" >&2
  exit 1
fi
echo "no SQL built from data in $1"
