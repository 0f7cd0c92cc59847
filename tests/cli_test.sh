#!/bin/sh
# Command-line tests that a golden directory cannot express: what `run -o FILE`
# leaves on disk.
#   - a failed run (data error, runtime error) leaves no FILE and no temporary
#     file beside it, and does not touch a FILE that was already there;
#   - -o out.json writes valid JSON, the same bytes as --format json;
#   - -o out.csv writes exactly what standard output gets;
#   - a table large enough to be read on a second thread gives a result row
#     per person, and reports bad cells with their exact lines, in order.
# Usage: tests/cli_test.sh path/to/kaoping [path/to/kpgen]
set -u
bin=${1:?usage: cli_test.sh path/to/kaoping}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
f0=0
begin() { f0=$fail; }
ok() { [ "$fail" = "$f0" ] && pass=$((pass + 1)); }
bad() { echo "FAIL cli: $*"; fail=$((fail + 1)); }

good=tests/errors/cli_set_ok            # a scheme and data that run cleanly
data_err=tests/errors/data_bad_decimal  # fails while loading the data
run_err=tests/errors/run_div_zero       # fails while evaluating

# A failed run leaves nothing behind, whatever the output format.
for case in "$data_err" "$run_err"; do
    for ext in csv json; do
        begin
        out=$tmp/failed.$ext
        "$bin" run "$case/s.kp" --data "$case/data" -o "$out" >"$tmp/stdout" 2>"$tmp/stderr"
        st=$?
        [ "$st" = 1 ] || bad "$case -o $ext: exit status $st, expected 1"
        [ -e "$out" ] && bad "$case -o $ext: a failed run left $out"
        [ -s "$tmp/stdout" ] && bad "$case -o $ext: a failed run wrote to standard output"
        [ -s "$tmp/stderr" ] || bad "$case -o $ext: a failed run said nothing on standard error"
        for f in "$out".tmp.*; do
            [ -e "$f" ] && bad "$case -o $ext: a failed run left the temporary file $f"
        done
        rm -f "$out" "$out".tmp.*
        ok
    done
done

# A failed run does not clobber an earlier result.
begin
out=$tmp/previous.csv
echo "earlier result" >"$out"
"$bin" run "$run_err/s.kp" --data "$run_err/data" -o "$out" >/dev/null 2>&1
[ "$(cat "$out")" = "earlier result" ] || bad "a failed run changed the existing $out"
ok

# A directory that cannot be written: an error, no output.
begin
"$bin" run "$good/s.kp" --data "$good/data" -o "$tmp/no/such/dir/out.csv" >/dev/null 2>"$tmp/stderr"
st=$?
[ "$st" = 1 ] || bad "-o into a missing directory: exit status $st, expected 1"
grep -q "cannot write '$tmp/no/such/dir/out.csv'" "$tmp/stderr" || bad "-o into a missing directory: no 'cannot write' message"
ok

# -o out.csv: the same bytes as standard output.
begin
"$bin" run "$good/s.kp" --data "$good/data" >"$tmp/stdout.csv" 2>"$tmp/stderr" || bad "run to stdout failed"
"$bin" run "$good/s.kp" --data "$good/data" -o "$tmp/out.csv" >"$tmp/stdout" 2>>"$tmp/stderr"
st=$?
[ "$st" = 0 ] || bad "-o out.csv: exit status $st, expected 0"
[ -s "$tmp/stdout" ] && bad "-o out.csv: also wrote to standard output"
[ -s "$tmp/stderr" ] && bad "-o out.csv: unexpected standard error: $(head -3 "$tmp/stderr")"
[ -s "$tmp/out.csv" ] || bad "-o out.csv: the file is missing or empty"
cmp -s "$tmp/stdout.csv" "$tmp/out.csv" || bad "-o out.csv differs from standard output"
ls "$tmp"/out.csv.tmp.* >/dev/null 2>&1 && bad "-o out.csv: left a temporary file"
ok

# -o out.json: valid JSON, the same bytes as --format json.
begin
"$bin" run "$good/s.kp" --data "$good/data" -o "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
st=$?
[ "$st" = 0 ] || bad "-o out.json: exit status $st, expected 0"
[ -s "$tmp/stdout" ] && bad "-o out.json: also wrote to standard output"
"$bin" run "$good/s.kp" --data "$good/data" --format json >"$tmp/stdout.json" 2>/dev/null
cmp -s "$tmp/stdout.json" "$tmp/out.json" || bad "-o out.json differs from --format json"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$tmp/out.json" 2>"$tmp/err" ||
        bad "-o out.json is not valid JSON: $(tail -1 "$tmp/err")"
elif command -v jq >/dev/null 2>&1; then
    jq empty "$tmp/out.json" 2>"$tmp/err" || bad "-o out.json is not valid JSON: $(cat "$tmp/err")"
else
    # No JSON parser: at least an object whose brackets balance outside strings.
    awk 'BEGIN { d = 0; s = 0; bad = 0 }
         { line = $0 "\n"
           for (i = 1; i <= length(line); i++) {
               c = substr(line, i, 1)
               if (s) { if (c == "\\") i++; else if (c == "\"") s = 0; continue }
               if (c == "\"") s = 1
               else if (c == "{" || c == "[") d++
               else if (c == "}" || c == "]") { d--; if (d < 0) bad = 1 }
           } }
         END { exit (bad || d != 0 || s) ? 1 : 0 }' "$tmp/out.json" || bad "-o out.json: brackets do not balance"
    head -c 1 "$tmp/out.json" | grep -q '{' || bad "-o out.json does not start with '{'"
fi
grep -q '"results"' "$tmp/out.json" || bad "-o out.json has no \"results\""
ok

# The order of the rows in the data files does not change the results: rows
# come out sorted by key, and grading breaks ties by key, not by file order.
begin
ex=examples/annual
mkdir -p "$tmp/shuffled"
for f in "$ex"/data/*.csv; do
    # header first, then the rows reversed
    { head -n 1 "$f"; tail -n +2 "$f" | awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }'; } \
        >"$tmp/shuffled/$(basename "$f")"
done
"$bin" run $ex/scheme.kp --data $ex/data >"$tmp/in_order.csv" 2>/dev/null || bad "run on $ex/data failed"
"$bin" run $ex/scheme.kp --data "$tmp/shuffled" >"$tmp/reversed.csv" 2>"$tmp/stderr" ||
    bad "run on reversed rows failed: $(head -3 "$tmp/stderr")"
cmp -s "$tmp/in_order.csv" "$tmp/reversed.csv" || bad "reversing the data rows changed the results"
ok

# Large tables are scanned ahead on a second thread (files over 4 MiB). The
# first bad cell must still be the one reported, at its own line.
gen=${2:-}
case $gen in /*) ;; "") ;; *) gen=$(cd "$OLDPWD" 2>/dev/null && pwd)/$gen ;; esac
if [ -n "$gen" ] && [ -x "$gen" ]; then
    begin
    big=$tmp/big
    "$gen" --persons 9000 --seed 3 --out "$big" >/dev/null || bad "kpgen failed"
    size=$(wc -c <"$big/cases.csv")
    [ "$size" -gt 4194304 ] || bad "cases.csv is only $size bytes: too small to use the thread"
    scheme=examples/annual/scheme.kp
    "$bin" run $scheme --data "$big" -o "$tmp/big.csv" 2>"$tmp/stderr" || bad "run on $big failed: $(head -3 "$tmp/stderr")"
    [ "$(wc -l <"$tmp/big.csv")" = 9001 ] || bad "big run: expected 9001 lines of results"
    # a bad cell near the end and another in the middle: the middle one is reported
    n=$(wc -l <"$big/cases.csv")
    mid=$((n / 2))
    awk -F, -v OFS=, -v mid="$mid" -v last="$n" \
        'NR == mid || NR == last { $9 = "十" } { print }' "$big/cases.csv" >"$tmp/cases.csv"
    mv "$tmp/cases.csv" "$big/cases.csv"
    "$bin" run $scheme --data "$big" >"$tmp/stdout" 2>"$tmp/stderr"
    st=$?
    [ "$st" = 1 ] || bad "bad cell in a big table: exit status $st, expected 1"
    [ -s "$tmp/stdout" ] && bad "bad cell in a big table: wrote results"
    grep -q "^$big/cases.csv:$mid:[0-9]*: error: column 'days': expected int, got \"十\"" "$tmp/stderr" ||
        bad "bad cell in a big table: no error at line $mid: $(head -2 "$tmp/stderr")"
    grep -q "cases.csv:$n:" "$tmp/stderr" ||
        bad "bad cell in a big table: the second bad cell (line $n) was not reported"
    ok
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
