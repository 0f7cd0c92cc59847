#!/bin/sh
# The HTML report of kaoping diff in a real browser (headless Chromium):
#   - the page is self-contained: no src= or href= to anything, no external CSS;
#   - after the page's own script has run, the DOM holds the transition matrix
#     with the same counts as the CSV output of the same diff, and one table
#     row per person whose grade changes;
#   - the page's self-test (report.html?selftest=TEXT, see src/diff_html.c)
#     sorts the table by the change of the total and by key and filters it by
#     TEXT; what it saw is checked here against the CSV: the order of the
#     deltas, the keys in order, and which rows the filter keeps;
#   - a screenshot is taken (default build/diff-report.png) for a person to
#     look at: Chinese text must show as Chinese, which needs a CJK font
#     (Debian's fonts-noto-cjk; .ci/run installs it with chromium).
# Skipped, with a note, when no Chromium is installed.
# Usage: tests/browser/report_test.sh path/to/kaoping [screenshot.png]
set -u
bin=${1:?usage: report_test.sh path/to/kaoping [screenshot.png]}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
shot=${2:-build/diff-report.png}
case $shot in /*) ;; *) shot=$(pwd)/$shot ;; esac
cd "$(dirname "$0")/../.."
browser=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { browser=$(command -v "$c"); break; }
done
if [ -z "$browser" ]; then
    echo "browser: skipped (no chromium installed; .ci/run installs it)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
f0=0
begin() { f0=$fail; }
ok() { [ "$fail" = "$f0" ] && pass=$((pass + 1)); }
bad() { echo "FAIL browser: $*"; fail=$((fail + 1)); }

# Runs the browser on the report; $1: what to do (--dump-dom or --screenshot=...), $2: URL query.
browse() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-dev-shm-usage --user-data-dir="$tmp/profile" --hide-scrollbars \
        --window-size=1280,2400 "$1" "file://$tmp/report.html$2" 2>"$tmp/browser.err"
}

args="diff examples/annual/scheme.kp tests/diff/annual_v2.kp --data examples/annual/data --set 优秀比例=30%"
# shellcheck disable=SC2086
"$bin" $args -o "$tmp/report.html" 2>"$tmp/err" || bad "diff -o report.html failed: $(head -3 "$tmp/err")"
# shellcheck disable=SC2086
"$bin" $args -o "$tmp/report.csv" 2>"$tmp/err" || bad "diff -o report.csv failed: $(head -3 "$tmp/err")"

# Self-contained: nothing is fetched, whatever the browser.
begin
grep -Eiq '(src|href)[[:space:]]*=|<link|@import|url\(' "$tmp/report.html" &&
    bad "the report refers to something outside itself: $(grep -Eio '(src|href)[[:space:]]*=[^ >]*|<link[^>]*|@import[^;]*|url\([^)]*' "$tmp/report.html" | head -3)"
ok

browse --dump-dom "?selftest=QS" >"$tmp/dom.html" || bad "chromium --dump-dom failed: $(tail -3 "$tmp/browser.err")"
grep -q '<pre id="selftest">' "$tmp/dom.html" || bad "the page's self-test did not run (no #selftest in the DOM)"

# The CSV's columns by name: key, deltas, grades, changed.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         { print $1, $c["delta_total"], $c["old_grade"], $c["new_grade"], $c["grade_changed"] }' \
    "$tmp/report.csv" >"$tmp/persons"

# The matrix: every cell's count is the number of persons with that old and new grade.
begin
grep -o 'data-old="[^"]*" data-new="[^"]*" data-count="[0-9]*"' "$tmp/dom.html" |
    sed 's/data-old="\([^"]*\)" data-new="\([^"]*\)" data-count="\([0-9]*\)"/\1 \2 \3/' >"$tmp/cells"
[ -s "$tmp/cells" ] || bad "no matrix cells in the DOM"
awk 'NR == FNR { n[$3 " " $4]++; next } { want = n[$1 " " $2] + 0; if ($3 != want) { print $1 " -> " $2 ": " $3 " in the page, " want " in the CSV"; bad = 1 } }
     END { exit bad }' "$tmp/persons" "$tmp/cells" >"$tmp/out" || bad "matrix: $(head -3 "$tmp/out")"
cells=$(wc -l <"$tmp/cells")
grades=$(awk '{ print $3; print $4 }' "$tmp/persons" | sort -u | wc -l)
[ "$cells" -ge $((grades * grades)) ] || bad "matrix: $cells cells for $grades grades"
ok

# The table: one row per person who changes grade.
begin
changed=$(awk '$5 == "true"' "$tmp/persons" | wc -l)
[ "$changed" -gt 2 ] || bad "the test case should change more than 2 grades, got $changed"
rows=$(sed -n '/<tbody>/,/<\/tbody>/p' "$tmp/dom.html" | grep -o '<tr>' | wc -l)
[ "$rows" = "$changed" ] || bad "table: $rows rows, expected $changed"
grep -qx "rows $changed" "$tmp/dom.html" || bad "self-test: no 'rows $changed'"
ok

# Sorting by the change of the total: the deltas of the keys in that order never increase.
begin
line=$(grep '^sort delta desc: ' "$tmp/dom.html" | sed 's/^sort delta desc: //')
[ -n "$line" ] || bad "self-test: no sort by delta"
echo "$line" | tr ' ' '\n' >"$tmp/order"
awk 'NR == FNR { d[$1] = $2; next } { if (FNR > 1 && d[$1] > prev) bad = 1; prev = d[$1]; n++ }
     END { exit bad || n == 0 }' "$tmp/persons" "$tmp/order" || bad "sorted by delta, the deltas go up: $line"
[ "$(wc -l <"$tmp/order")" = "$changed" ] || bad "sorted by delta: not every row"
grep -qx 'delta ordered: ok' "$tmp/dom.html" || bad "self-test: delta order not ok"
ok

# Sorting by key: the changed persons' keys in byte order.
begin
want=$(awk '$5 == "true" { print $1 }' "$tmp/persons" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
grep -qx "sort key asc: $want" "$tmp/dom.html" || bad "sorted by key: $(grep '^sort key asc' "$tmp/dom.html"), expected $want"
grep -qx 'key ordered: ok' "$tmp/dom.html" || bad "self-test: key order not ok"
ok

# Filtering by "QS": exactly the changed persons whose row mentions QS (here: their key).
begin
want=$(awk '$5 == "true" && $1 ~ /QS/ { print $1 }' "$tmp/persons" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
n=$(echo "$want" | wc -w)
[ "$n" -ge 1 ] && [ "$n" -lt "$changed" ] || bad "the filter should keep some rows but not all ($n of $changed)"
grep -qx "filter \"QS\": $n: $want" "$tmp/dom.html" || bad "filter: $(grep '^filter "QS"' "$tmp/dom.html"), expected $n: $want"
grep -qx 'filter consistent: ok' "$tmp/dom.html" || bad "self-test: the filter hid a matching row or showed another"
grep -qx "cleared: $changed" "$tmp/dom.html" || bad "self-test: clearing the filter did not show every row"
ok

# The screenshot, for a person to look at.
begin
mkdir -p "$(dirname "$shot")"
rm -f "$shot"
browse "--screenshot=$shot" "" >/dev/null || bad "chromium --screenshot failed: $(tail -3 "$tmp/browser.err")"
[ -s "$shot" ] && [ "$(wc -c <"$shot")" -gt 20000 ] || bad "no screenshot (or an empty one) at $shot"
head -c 8 "$shot" | od -c | head -1 | grep -q 'P   N   G' || bad "$shot is not a PNG"
fc-list :lang=zh 2>/dev/null | grep -q . || echo "browser: note: no CJK font installed (fonts-noto-cjk): Chinese shows as boxes in $shot"
ok

echo "browser: $pass passed, $fail failed (screenshot: $shot)"
[ "$fail" = 0 ]
