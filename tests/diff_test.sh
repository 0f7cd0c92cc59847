#!/bin/sh
# kaoping diff against two separate runs: for each case, the totals, grades
# and ranks that `diff -o x.csv` reports before and after must be exactly
# what `run` gives for each version on its own. This checks the shared load
# (each file read once for both versions), the values the second version
# borrows from the first instead of computing them (src/share.c), and that
# the item columns add up to the change of the total. Then: -o FILE writes
# what --format writes to standard output, in every format; a failed diff
# leaves no file; -o out.json is valid JSON.
# Usage: tests/diff_test.sh path/to/kaoping [path/to/kpgen]
set -u
bin=${1:?usage: diff_test.sh path/to/kaoping [path/to/kpgen]}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
gen=${2:-}
case $gen in /*) ;; "") ;; *) gen=$(pwd)/$gen ;; esac
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# key,total,grade,rank of a run's CSV (fields may be quoted).
awk_csv='
function split_csv(line, f,    n, i, c, q, cur) {
    n = 0; cur = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur c; i++ } else q = 0 } else cur = cur c }
        else if (c == "\"") q = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else cur = cur c
    }
    f[++n] = cur
    return n
}'

run_cols() {
    awk "$awk_csv"'
        NR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
        { split_csv($0, f); print f[1] "," f[col["total"]] "," f[col["grade"]] "," f[col["rank"]] }' "$1"
}

# From the diff CSV: side 1 = old, 2 = new; and a check that the items add up.
diff_cols() {
    awk -v side="$2" "$awk_csv"'
        NR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
        { split_csv($0, f)
          p = side == 1 ? "old_" : "new_"
          print f[1] "," f[col[p "total"]] "," f[col[p "grade"]] "," f[col[p "rank"]] }' "$1"
}

# The items that make up the total (indicators at the top level, bonuses, caps,
# penalties, adjustments) must add up to delta_total, exactly.
items_add_up() {
    awk -v tops="$2" "$awk_csv"'
        BEGIN { nt = split(tops, t, " "); for (i = 1; i <= nt; i++) top["indicator:" t[i]] = 1 }
        NR == 1 { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
        { split_csv($0, f); sum = 0
          for (i = 1; i <= n; i++) {
              c = h[i]
              if (top[c] || c ~ /^(bonus|penalty|adjust)/) sum += f[i]
          }
          d = f[col["delta_total"]] - sum
          if ((d > 1e-6 || d < -1e-6) && bad++ < 5) print "row " NR ": items add up to " sum ", delta_total is " f[col["delta_total"]] }
        END { exit (bad > 0) }' "$1"
}

# check NAME OLD NEW DATA TOPS [--set ...]: NEW may be "-" for OLD with the sets.
check() {
    name=$1 old=$2 new=$3 data=$4 tops=$5
    shift 5
    ok=1
    newpath=$new
    [ "$new" = "-" ] && newpath=$old
    sets=""
    for s in "$@"; do sets="$sets --set $s"; done
    "$bin" run "$old" --data "$data" -o "$tmp/old.csv" 2>"$tmp/err" || { echo "FAIL diff $name: run old: $(head -3 "$tmp/err")"; ok=0; }
    # shellcheck disable=SC2086
    "$bin" run "$newpath" --data "$data" $sets -o "$tmp/new.csv" 2>"$tmp/err" || { echo "FAIL diff $name: run new: $(head -3 "$tmp/err")"; ok=0; }
    if [ "$new" = "-" ]; then
        # shellcheck disable=SC2086
        "$bin" diff "$old" --data "$data" $sets -o "$tmp/diff.csv" 2>"$tmp/err"
    else
        # shellcheck disable=SC2086
        "$bin" diff "$old" "$new" --data "$data" $sets -o "$tmp/diff.csv" 2>"$tmp/err"
    fi
    [ $? = 0 ] || { echo "FAIL diff $name: diff failed: $(head -3 "$tmp/err")"; ok=0; }
    if [ $ok = 1 ]; then
        run_cols "$tmp/old.csv" >"$tmp/a"
        diff_cols "$tmp/diff.csv" 1 >"$tmp/b"
        cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL diff $name: old side differs from run"; diff "$tmp/a" "$tmp/b" | head -5; ok=0; }
        run_cols "$tmp/new.csv" >"$tmp/a"
        diff_cols "$tmp/diff.csv" 2 >"$tmp/b"
        cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL diff $name: new side differs from run"; diff "$tmp/a" "$tmp/b" | head -5; ok=0; }
        items_add_up "$tmp/diff.csv" "$tops" || { echo "FAIL diff $name: items do not add up"; ok=0; }
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

ex=examples/annual/scheme.kp
exdata=examples/annual/data
v2=tests/diff/annual_v2.kp
at="业绩 共性 综合评价" # the annual scheme's top-level indicators
check quota-param $ex - $exdata "$at" 优秀比例=30%
check threshold-param $ex - $exdata "$at" 称职分数线=90
check weight-param $ex - $exdata "$at" 业绩权重=70%
check branch-param $ex - $exdata "$at" 助理基础分=80 逮捕期限=3
check two-schemes $ex $v2 $exdata "$at"
check two-schemes-set $ex $v2 $exdata "$at" 优秀比例=25% 称职分数线=90
check reversed $v2 $ex $exdata "$at"
check same-scheme $ex $ex $exdata "$at"
# columns and enumeration values in another order: the second scheme's
# aggregates are folded from rows parsed in the first one's column order
check reordered-columns $ex tests/diff/annual_reordered.kp $exdata "$at" 逮捕期限=3 起诉期限=20
check stdlib-grades tests/golden/stdlib_grades/g.kp - tests/golden/stdlib_grades/data 综合 优秀比例=40%
r=rules
g=tests/golden
check rules-000 $r/000_anhui_procuratorate.kp - $g/rules_000/data "业绩 共性 综合评价" \
    负责人部门折算比例=50% 称职线=80 优秀比例=30%
check rules-001 $r/001_basic_procuratorate.kp - $g/rules_001/data "司法办案 司法作风 司法技能 职业操守" \
    最低办案数=10 数量封顶=100 良线=80
check rules-002 $r/002_org_comprehensive.kp - $g/rules_002/data "实绩考核 社会评价 个人评价" 称职线=80
check rules-003 $r/003_tianjin_classified.kp - $g/rules_003/data "本职业绩 日常考核" \
    专项任务权重=40% 案件比优良值=1
check rules-004 $r/004_hulunbuir_routine.kp - $g/rules_004/data "工作实绩 多维评价" \
    未评价满意度=70% 较好线=80 好等次比例=50%
if [ -n "$gen" ] && [ -x "$gen" ]; then
    "$gen" --persons 3000 --seed 5 --out "$tmp/big" >/dev/null || echo "FAIL diff: kpgen failed"
    check generated $ex $v2 "$tmp/big" "$at" 优秀比例=25%
    check generated-reordered $ex tests/diff/annual_reordered.kp "$tmp/big" "$at" 逮捕期限=3
fi
# -o FILE writes what --format writes to standard output, for every format;
# a diff that fails leaves no file behind (and no temporary file).
args="$ex $v2 --data $exdata --set 优秀比例=30%"
for f in txt:text csv:csv json:json html:html; do
    ext=${f%%:*} fmt=${f#*:}
    ok=1
    # shellcheck disable=SC2086
    "$bin" diff $args --format "$fmt" >"$tmp/stdout.$ext" 2>"$tmp/err" || { echo "FAIL diff --format $fmt: $(head -3 "$tmp/err")"; ok=0; }
    # shellcheck disable=SC2086
    "$bin" diff $args -o "$tmp/out.$ext" >"$tmp/stdout" 2>"$tmp/err" || { echo "FAIL diff -o out.$ext: $(head -3 "$tmp/err")"; ok=0; }
    [ -s "$tmp/stdout" ] && { echo "FAIL diff -o out.$ext also wrote to standard output"; ok=0; }
    cmp -s "$tmp/stdout.$ext" "$tmp/out.$ext" || { echo "FAIL diff -o out.$ext differs from --format $fmt"; ok=0; }
    bad_data=tests/errors/data_bad_decimal
    "$bin" diff $bad_data/s.kp --data $bad_data/data --set 优秀比例=30% -o "$tmp/failed.$ext" >/dev/null 2>&1
    [ $? = 1 ] || { echo "FAIL diff -o failed.$ext: a data error should exit 1"; ok=0; }
    ls "$tmp/failed.$ext"* >/dev/null 2>&1 && { echo "FAIL diff -o failed.$ext: a failed diff left a file"; ok=0; }
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
if command -v python3 >/dev/null 2>&1; then
    if python3 -c 'import json, sys; d = json.load(open(sys.argv[1], encoding="utf-8")); assert len(d["results"]) == d["persons"]' "$tmp/out.json" 2>"$tmp/err"; then
        pass=$((pass + 1))
    else
        echo "FAIL diff -o out.json is not valid JSON: $(tail -1 "$tmp/err")"
        fail=$((fail + 1))
    fi
fi

echo "diff: $pass passed, $fail failed"
[ "$fail" = 0 ]
