#!/bin/sh
# Command-line tests that a golden directory cannot express: what `run -o FILE`
# and `run --explain FILE` leave on disk, and progress on a terminal.
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

# run --explain FILE: one JSON object per line and per person, in key order,
# each exactly the line `explain --format json` prints for that person, with
# the grade, rank and total of the results, and the text explanation opening
# with the same summary. The results themselves do not change.
begin
ex=examples/annual
"$bin" run $ex/scheme.kp --data $ex/data -o "$tmp/plain.csv" 2>/dev/null || bad "run without --explain failed"
"$bin" run $ex/scheme.kp --data $ex/data -o "$tmp/res.csv" --explain "$tmp/ex.jsonl" >"$tmp/stdout" 2>"$tmp/stderr"
st=$?
[ "$st" = 0 ] || bad "--explain: exit status $st, expected 0: $(head -3 "$tmp/stderr")"
[ -s "$tmp/stdout" ] && bad "--explain with -o: also wrote to standard output"
[ -s "$tmp/stderr" ] && bad "--explain: unexpected standard error (progress off a terminal?): $(head -3 "$tmp/stderr")"
cmp -s "$tmp/plain.csv" "$tmp/res.csv" || bad "--explain changed the results"
ls "$tmp"/ex.jsonl.tmp.* >/dev/null 2>&1 && bad "--explain left a temporary file"
persons=$(($(wc -l <$ex/data/persons.csv) - 1))
[ "$(wc -l <"$tmp/ex.jsonl")" = "$persons" ] || bad "--explain: expected $persons lines, one per person"
n=0
for id in $(tail -n +2 "$tmp/res.csv" | cut -d, -f1); do
    n=$((n + 1))
    "$bin" explain $ex/scheme.kp --data $ex/data --id "$id" --format json >"$tmp/one.json" 2>"$tmp/stderr" ||
        bad "explain --id $id --format json failed: $(head -2 "$tmp/stderr")"
    sed -n "${n}p" "$tmp/ex.jsonl" | cmp -s - "$tmp/one.json" || bad "line $n of --explain is not what explain --id $id --format json prints"
    "$bin" explain $ex/scheme.kp --data $ex/data --id "$id" >"$tmp/one_$n.txt" 2>/dev/null || bad "explain --id $id failed"
done
if command -v python3 >/dev/null 2>&1; then
    python3 - "$tmp/ex.jsonl" "$tmp/res.csv" "$tmp" >"$tmp/py.out" 2>&1 <<'PY' || bad "--explain content: $(head -5 "$tmp/py.out")"
import csv, json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "the file does not end with a newline"
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
assert len(lines) - 1 == len(rows), "%d lines for %d persons" % (len(lines) - 1, len(rows))
for n, (line, row) in enumerate(zip(lines, rows), 1):
    x = json.loads(line)  # valid JSON, one object per line
    assert x["id"] == row["person_id"], "line %d is %s, expected %s (key order)" % (n, x["id"], row["person_id"])
    assert x["grade"] == row["grade"] == x["grading"]["grade"], "%s: grade %s, results %s" % (x["id"], x["grade"], row["grade"])
    assert str(x["grading"]["rank"]) == row["rank"], "%s: rank" % x["id"]
    assert str(x["total"]) == row["total"] and str(x["score"]) == row["score"], "%s: total or score" % x["id"]
    assert str(x["bonus"]["total"]) == row["bonus_total"] and str(x["penalty"]["total"]) == row["penalty_total"], x["id"]
    for ind in x["indicators"]:
        assert str(ind["value"]) == row[ind["name"]], "%s: indicator %s" % (x["id"], ind["name"])
    fired = [v["name"] for v in x["vetoes"] if v["fired"]]
    assert ";".join(fired) == row["vetoes"], "%s: vetoes" % x["id"]
    text = open("%s/one_%d.txt" % (sys.argv[3], n), encoding="utf-8").read().split("\n")
    assert text[3] == "结论: " + x["summary"], "%s: the text's summary differs: %s" % (x["id"], text[3])
PY
fi
ok

# A failed run with --explain leaves neither file behind.
for case in "$data_err" "$run_err"; do
    begin
    "$bin" run "$case/s.kp" --data "$case/data" -o "$tmp/f.csv" --explain "$tmp/f.jsonl" >/dev/null 2>&1
    [ -e "$tmp/f.csv" ] && bad "$case --explain: a failed run left f.csv"
    [ -e "$tmp/f.jsonl" ] && bad "$case --explain: a failed run left f.jsonl"
    ls "$tmp"/f.*.tmp.* >/dev/null 2>&1 && bad "$case --explain: a failed run left a temporary file"
    ok
done

# --explain into a directory that cannot be written: an error, and no results either.
begin
"$bin" run "$good/s.kp" --data "$good/data" -o "$tmp/r2.csv" --explain "$tmp/no/such/dir/x.jsonl" >/dev/null 2>"$tmp/stderr"
st=$?
[ "$st" = 1 ] || bad "--explain into a missing directory: exit status $st, expected 1"
grep -q "cannot write '$tmp/no/such/dir/x.jsonl'" "$tmp/stderr" || bad "--explain into a missing directory: no 'cannot write' message"
[ -e "$tmp/r2.csv" ] && bad "--explain into a missing directory: the results were written anyway"
ok

# Progress: on a terminal, standard error shows the rows read and the values
# computed on one line; off a terminal (every other test) nothing.
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
    begin
    script -qec "'$bin' run $ex/scheme.kp --data $ex/data -o '$tmp/tty.csv'" /dev/null >"$tmp/tty.out" 2>&1 </dev/null
    grep -q "读取 persons.csv: 30 行" "$tmp/tty.out" || bad "no progress on a terminal: $(head -c 200 "$tmp/tty.out")"
    grep -q "计算: 30 人" "$tmp/tty.out" || bad "no computing progress on a terminal"
    cmp -s "$tmp/tty.csv" "$tmp/plain.csv" || bad "the results differ on a terminal"
    script -qec "'$bin' explain $ex/scheme.kp --data $ex/data --id JH001 --lang en" /dev/null >"$tmp/tty.out" 2>&1 </dev/null
    grep -q "reading cases.csv: 134 rows" "$tmp/tty.out" || bad "no English progress on a terminal: $(head -c 200 "$tmp/tty.out")"
    ok
fi

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
    # explaining one person of many: the same grade and rank as the results
    row=$(grep '^P00004500,' "$tmp/big.csv")
    "$bin" explain $scheme --data "$big" --id P00004500 --format json >"$tmp/big.json" 2>"$tmp/stderr" ||
        bad "explain in a big run failed: $(head -3 "$tmp/stderr")"
    grade=$(echo "$row" | awk -F, '{ print $(NF - 1) }')
    rank=$(echo "$row" | awk -F, '{ print $NF }')
    grep -q "\"rank\":$rank,.*\"grade\":\"$grade\"}}$" "$tmp/big.json" ||
        bad "explain in a big run: not rank $rank and grade $grade"
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
