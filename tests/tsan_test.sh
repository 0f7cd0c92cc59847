#!/bin/sh
# ThreadSanitizer over the parts of a run that use a second thread: reading a
# large table ahead, the persons in pieces (a stored table over 4 MiB), an
# event table in pieces and its accumulators merged,
# columns in blocks, the rank order beside the grading, output in blocks, and
# diff's two models over one load. Criterion's test runner does not run under
# ThreadSanitizer, so this runs the binary on generated data large enough for
# every threshold (70,000 persons: over 65,536 rows, cases over 16 MiB), and
# fails on any report, on a wrong exit status or, for the runs that must
# fail, on a diagnostic other than the one in order.
# Usage: tests/tsan_test.sh path/to/kaoping-built-with-tsan path/to/kpgen
set -u
bin=${1:?usage: tsan_test.sh path/to/kaoping path/to/kpgen}
gen=${2:?usage: tsan_test.sh path/to/kaoping path/to/kpgen}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $gen in /*) ;; *) gen=$(pwd)/$gen ;; esac
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL tsan: $*"; fail=$((fail + 1)); }
export TSAN_OPTIONS="halt_on_error=0 exitcode=66"

"$gen" --persons 70000 --seed 3 --out "$tmp/data" >/dev/null || bad "kpgen failed"

# Kernels with more address-space randomization than ThreadSanitizer's memory
# layout allows refuse it at start; such a machine runs it without.
norand=""
"$bin" --version >/dev/null 2>"$tmp/err"
if grep -q "unexpected memory mapping" "$tmp/err"; then
    norand="setarch $(uname -m) -R"
fi

# name, expected exit status, then the command
check() {
    name=$1 want=$2
    shift 2
    $norand "$@" >"$tmp/out" 2>"$tmp/err"
    st=$?
    if grep -q "ThreadSanitizer" "$tmp/err"; then
        bad "$name: a data race or thread error"
        sed -n '1,40p' "$tmp/err"
    elif [ "$st" != "$want" ]; then
        bad "$name: exit status $st, expected $want"
        sed -n '1,10p' "$tmp/err"
    fi
}

scheme=examples/annual/scheme.kp
check run 0 "$bin" run "$scheme" --data "$tmp/data"
[ "$(wc -l <"$tmp/out")" = 70001 ] || bad "run: expected a header and 70,000 rows"
check json 0 "$bin" run "$scheme" --data "$tmp/data" --format json
check diff 0 "$bin" diff "$scheme" --data "$tmp/data" --set 优秀比例=25%
check coverage 0 "$bin" run "$scheme" --data "$tmp/data" --coverage

# The rank order fails (a key divides by zero) while the grading goes well;
# then the grading fails too, earlier, and its error is the one reported.
sed 's/等次 范围 单位 按 total 降序, person_id 升序/等次 范围 单位 按 100 \/ (total - total) 降序, person_id 升序/' \
    "$scheme" >"$tmp/rank_err.kp"
check rank_error 1 "$bin" run "$tmp/rank_err.kp" --data "$tmp/data"
grep -q "error: division by zero" "$tmp/err" || bad "rank_error: no division by zero reported"
sed 's/去尾(优秀比例 \* count(单位))/去尾(优秀比例 * count(单位)) + 0.5/' "$tmp/rank_err.kp" >"$tmp/both_err.kp"
check both_errors 1 "$bin" run "$tmp/both_err.kp" --data "$tmp/data"
grep -q "must be a whole number of persons" "$tmp/err" || bad "both_errors: the quota's error is not the one reported"
grep -q "division by zero" "$tmp/err" && bad "both_errors: the ranking's error is reported too"

if [ "$fail" = 0 ]; then
    echo "tsan: run, json, diff, coverage and both orders of grading errors, no reports"
else
    exit 1
fi
