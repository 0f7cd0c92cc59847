#!/bin/sh
# Every rule-language example in docs/language.md is valid syntax: each fenced
# block without a language tag (or tagged kp) must be accepted by
# `kaoping fmt`, which parses without resolving names, so fragments that use
# names declared elsewhere are fine. Blocks of output are tagged `text`.
# (The keyword table is checked against the lexer by tests/unit/test_lexer.c.)
# Usage: tests/docs_test.sh path/to/kaoping
set -u
bin=${1:?usage: docs_test.sh path/to/kaoping}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
doc=docs/language.md
# block NN.kp per checked block, NN.skip per skipped one
awk -v dir="$tmp" '
    /^```/ {
        if (inb) { inb = 0; close(f); next }
        inb = 1; n++
        tag = substr($0, 4)
        f = sprintf("%s/%02d.%s", dir, n, (tag == "" || tag == "kp") ? "kp" : "skip")
        printf "" > f
        next
    }
    inb { print > f }' "$doc"
pass=0
fail=0
for f in "$tmp"/*.kp; do
    [ -e "$f" ] || continue
    if "$bin" fmt - <"$f" >/dev/null 2>"$tmp/err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL docs: example $(basename "$f" .kp) of $doc does not parse:"
        sed 's/^/    /' "$tmp/err" | head -5
    fi
done
[ "$pass" -gt 10 ] || { echo "FAIL docs: only $pass examples found in $doc"; fail=$((fail + 1)); }
echo "docs: $pass examples parse, $fail failed"
[ "$fail" = 0 ]
