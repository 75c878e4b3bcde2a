#!/bin/sh
# run-fuzzer.sh — run a libFuzzer target for a short time over a copy of
# its seed corpus, so that the corpus in the source tree never changes.
#
#   run-fuzzer.sh FUZZER CORPUS_DIR ARTIFACT_DIR [LIBFUZZER_OPTION…]
#
# BB_FUZZ_SECONDS, when set, replaces any -max_total_time= given.
# A crash, leak, timeout or undefined behaviour fails the run; the input
# that caused it is saved in ARTIFACT_DIR as <target>-crash-<sha1> (or
# -leak-, -timeout-, -oom-), which is also printed at the end.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

if [ $# -lt 3 ]; then
  echo "usage: $0 FUZZER CORPUS_DIR ARTIFACT_DIR [LIBFUZZER_OPTION…]" >&2
  exit 2
fi

fuzzer=$1
corpus=$2
artifacts=$3
shift 3

if [ ! -x "$fuzzer" ]; then
  echo "$0: $fuzzer is not an executable" >&2
  exit 2
fi
if [ ! -d "$corpus" ]; then
  echo "$0: $corpus is not a directory" >&2
  exit 2
fi

name=$(basename "$fuzzer")
work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

cp -R "$corpus/." "$work/"
mkdir -p "$artifacts"

# Drop -max_total_time= when BB_FUZZ_SECONDS overrides it.
if [ -n "${BB_FUZZ_SECONDS:-}" ]; then
  for arg in "$@"; do
    shift
    case $arg in
      -max_total_time=*) ;;
      *) set -- "$@" "$arg" ;;
    esac
  done
  set -- "$@" "-max_total_time=$BB_FUZZ_SECONDS"
fi

ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
LC_ALL=C.UTF-8
export ASAN_OPTIONS UBSAN_OPTIONS LC_ALL

echo "# $name on a copy of $corpus ($(find "$work" -type f | wc -l) seeds) in $work"

status=0
"$fuzzer" -artifact_prefix="$artifacts/$name-" "$@" "$work" || status=$?

if [ "$status" -ne 0 ]; then
  echo "# $name failed ($status); inputs saved:" >&2
  find "$artifacts" -maxdepth 1 -type f -name "$name-*" | sed 's/^/  /' >&2
  # libFuzzer exits with 77 on a crash, which meson would count as a skip.
  exit 1
fi

exit 0
