#!/bin/sh
# Golden tests: each directory under tests/golden/ and tests/errors/ holds
#   cmd     the kaoping arguments, one line, run from the repository root
#   stdout  the exact expected standard output (optional: empty)
#   stderr  the exact expected standard error (optional: empty)
#   status  the expected exit status (optional: 0)
# With UPDATE=1 the expectations are rewritten from the actual results.
set -u
bin=${1:?usage: run_golden.sh path/to/kaoping}
cd "$(dirname "$0")/.."
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in tests/golden/*/ tests/errors/*/; do
    [ -f "$dir/cmd" ] || continue
    dir=${dir%/}
    args=$(cat "$dir/cmd")
    # shellcheck disable=SC2086
    (eval "\"$bin\" $args") >"$tmp/out" 2>"$tmp/err" </dev/null
    st=$?
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$tmp/out" "$dir/stdout"
        cp "$tmp/err" "$dir/stderr"
        echo "$st" >"$dir/status"
        continue
    fi
    want_st=0
    [ -f "$dir/status" ] && want_st=$(cat "$dir/status")
    ok=1
    [ "$st" = "$want_st" ] || { echo "FAIL $dir: exit status $st, expected $want_st"; ok=0; }
    for s in out err; do
        f="$dir/std$s"
        if [ -f "$f" ]; then
            cmp -s "$tmp/$s" "$f" || { echo "FAIL $dir: std$s differs"; diff "$f" "$tmp/$s" | head -20; ok=0; }
        elif [ -s "$tmp/$s" ]; then
            echo "FAIL $dir: unexpected std$s"; head -5 "$tmp/$s"; ok=0
        fi
    done
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
