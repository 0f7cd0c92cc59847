#!/bin/sh
# Checks that the README's "first scheme" works as written: the scheme and the
# data shown there give exactly the output shown there, the explanation shown
# is the one `explain` prints, its test block passes and fails as shown, the
# misspelling example gives the diagnostic shown, and the `kaoping diff`
# summary shown is what the command prints.
set -eu
bin=${1:?usage: readme_test.sh path/to/kaoping}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/data"
# The n-th fenced block after a line containing a marker, without the fences.
block() {
    awk -v marker="$1" '
        index($0, marker) { found = 1; next }
        found && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }' README.md
}
block "Save this as \`first.kp\`" >"$tmp/first.kp"
block "and a \`data/persons.csv\`" >"$tmp/data/persons.csv"
block "build/kaoping run first.kp --data data\`:" >"$tmp/expected.out"
block "misspelling a name" >"$tmp/expected.err"
block "Add this test to the end of \`first.kp\`" >"$tmp/test.kp"
block "build/kaoping test first.kp\` runs it" >"$tmp/expected.test"
block "\`期望 P1.total == 90.9\` the output is" >"$tmp/expected.fail"
block "build/kaoping explain first.kp --data data --id P004\`:" >"$tmp/expected.explain"
fail=0
(cd "$tmp" && "$bin" run first.kp --data data >actual.out)
cmp -s "$tmp/expected.out" "$tmp/actual.out" || { echo "FAIL readme: run output differs"; diff "$tmp/expected.out" "$tmp/actual.out"; fail=1; }
(cd "$tmp" && "$bin" explain first.kp --data data --id P004 >actual.explain)
cmp -s "$tmp/expected.explain" "$tmp/actual.explain" || { echo "FAIL readme: explain output differs"; diff "$tmp/expected.explain" "$tmp/actual.explain"; fail=1; }
# The test block, appended to the scheme: it passes, and fails when one value is wrong.
cp "$tmp/first.kp" "$tmp/tested.kp"
printf '\n' >>"$tmp/tested.kp"
cat "$tmp/test.kp" >>"$tmp/tested.kp"
mv "$tmp/tested.kp" "$tmp/first.kp"
(cd "$tmp" && "$bin" test first.kp >actual.test) || { echo "FAIL readme: the test block failed"; fail=1; }
cmp -s "$tmp/expected.test" "$tmp/actual.test" || { echo "FAIL readme: test output differs"; diff "$tmp/expected.test" "$tmp/actual.test"; fail=1; }
sed -i 's/期望 P1.total == 90.8/期望 P1.total == 90.9/' "$tmp/first.kp"
(cd "$tmp" && "$bin" test first.kp >actual.fail) && { echo "FAIL readme: a wrong expectation passed"; fail=1; }
cmp -s "$tmp/expected.fail" "$tmp/actual.fail" || { echo "FAIL readme: failing test output differs"; diff "$tmp/expected.fail" "$tmp/actual.fail"; fail=1; }
sed -i 's/= work_score/= work_scor/' "$tmp/first.kp"
(cd "$tmp" && "$bin" check first.kp 2>actual.err) && { echo "FAIL readme: misspelt scheme passed check"; fail=1; }
cmp -s "$tmp/expected.err" "$tmp/actual.err" || { echo "FAIL readme: diagnostic differs"; diff "$tmp/expected.err" "$tmp/actual.err"; fail=1; }
# The `kaoping diff` summary shown, as the example gives it today.
block "build/kaoping diff examples/annual/scheme.kp --set 优秀比例=30% --data examples/annual/data\`:" >"$tmp/expected.diff"
"$bin" diff examples/annual/scheme.kp --set 优秀比例=30% --data examples/annual/data >"$tmp/actual.diff"
[ -s "$tmp/expected.diff" ] || { echo "FAIL readme: no diff example found"; fail=1; }
cmp -s "$tmp/expected.diff" "$tmp/actual.diff" || { echo "FAIL readme: diff summary differs"; diff "$tmp/expected.diff" "$tmp/actual.diff"; fail=1; }
[ $fail = 0 ] && echo "readme: first scheme, output, explanation, test, diagnostic and diff summary as documented"

exit $fail
