#!/bin/sh
# Tests of `kaoping doc` that a golden directory cannot express:
#   - -o FILE.md and -o FILE.html write exactly what standard output gets
#     (Markdown, --format html), atomically: no temporary file is left;
#   - the HTML of every shipped scheme, in both languages, is well-formed
#     (xmllint parses it as XML), self-contained and names a CJK font stack;
#   - a failed doc (scheme error, bad --set, bad usage) writes no file and
#     leaves an existing one as it was; an unwritable target is an error;
#   - the document is byte-reproducible: the same inputs give the same bytes.
# Needs xmllint (Debian package libxml2-utils; scripts/deps.sh installs it).
# Usage: tests/doc_test.sh path/to/kaoping
set -u
bin=${1:?usage: doc_test.sh path/to/kaoping}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
f0=0
begin() { f0=$fail; }
ok() { [ "$fail" = "$f0" ] && pass=$((pass + 1)); }
bad() { echo "FAIL doc: $*"; fail=$((fail + 1)); }
command -v xmllint >/dev/null 2>&1 || { echo "FAIL doc: xmllint is missing (apt-get install libxml2-utils)"; exit 1; }

scheme=examples/annual/scheme.kp
schemes="$scheme rules/*.kp tests/golden/doc_features/s.kp tests/golden/stdlib_grades/g.kp"

# -o FILE.md: the same bytes as standard output, nothing else written.
begin
"$bin" doc "$scheme" >"$tmp/stdout.md" 2>"$tmp/stderr" || bad "doc to stdout failed"
"$bin" doc "$scheme" -o "$tmp/out.md" >"$tmp/stdout" 2>>"$tmp/stderr"
st=$?
[ "$st" = 0 ] || bad "-o out.md: exit status $st, expected 0"
[ -s "$tmp/stdout" ] && bad "-o out.md: also wrote to standard output"
[ -s "$tmp/stderr" ] && bad "-o out.md: unexpected standard error: $(head -3 "$tmp/stderr")"
cmp -s "$tmp/stdout.md" "$tmp/out.md" || bad "-o out.md differs from standard output"
ls "$tmp"/out.md.tmp.* >/dev/null 2>&1 && bad "-o out.md: left a temporary file"
ok

# -o FILE.html: the same bytes as --format html; --output= works too.
begin
"$bin" doc "$scheme" --lang en --format html >"$tmp/stdout.html" 2>/dev/null
"$bin" doc "$scheme" --lang en --output="$tmp/out.html" >"$tmp/stdout" 2>&1
st=$?
[ "$st" = 0 ] || bad "-o out.html: exit status $st, expected 0"
[ -s "$tmp/stdout" ] && bad "-o out.html: wrote to standard output or error"
cmp -s "$tmp/stdout.html" "$tmp/out.html" || bad "-o out.html differs from --format html"
ls "$tmp"/out.html.tmp.* >/dev/null 2>&1 && bad "-o out.html: left a temporary file"
ok

# Well-formed, self-contained HTML for every shipped scheme, in both languages.
for s in $schemes; do
    for lang in zh en; do
        begin
        out=$tmp/page.html
        "$bin" doc "$s" --lang $lang -o "$out" 2>"$tmp/stderr" || bad "$s --lang $lang: doc failed: $(head -3 "$tmp/stderr")"
        xmllint --noout "$out" 2>"$tmp/xml" || bad "$s --lang $lang: HTML is not well-formed: $(head -3 "$tmp/xml")"
        grep -q '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei"' "$out" || bad "$s --lang $lang: no CJK font stack"
        grep -Eq '<(link|script|img)|https?:' "$out" && bad "$s --lang $lang: the page refers to something outside it"
        [ $lang = en ] && { grep -q '<html lang="en">' "$out" || bad "$s: --lang en page is not marked English"; }
        [ $lang = zh ] && { grep -q '<html lang="zh-CN">' "$out" || bad "$s: page is not marked Chinese"; }
        ok
    done
done

# The same scheme gives the same bytes, run after run.
begin
"$bin" doc "$scheme" --format html >"$tmp/a.html" 2>/dev/null
"$bin" doc "$scheme" --format html >"$tmp/b.html" 2>/dev/null
cmp -s "$tmp/a.html" "$tmp/b.html" || bad "two runs gave different HTML"
ok

# A failed doc writes nothing and leaves an existing file as it was.
while IFS='|' read -r what args; do
    for ext in md html; do
        begin
        out=$tmp/failed.$ext
        # shellcheck disable=SC2086
        eval "\"\$bin\" doc $args -o \"\$out\"" >"$tmp/stdout" 2>"$tmp/stderr"
        st=$?
        [ "$st" = 0 ] && bad "$what -o $ext: exit status 0"
        [ -e "$out" ] && bad "$what -o $ext: a failed doc left $out"
        [ -s "$tmp/stdout" ] && bad "$what -o $ext: a failed doc wrote to standard output"
        [ -s "$tmp/stderr" ] || bad "$what -o $ext: a failed doc said nothing on standard error"
        for f in "$out".tmp.*; do
            [ -e "$f" ] && bad "$what -o $ext: left the temporary file $f"
        done
        echo "earlier document" >"$out"
        # shellcheck disable=SC2086
        eval "\"\$bin\" doc $args -o \"\$out\"" >/dev/null 2>&1
        [ "$(cat "$out")" = "earlier document" ] || bad "$what -o $ext: a failed doc changed the existing $out"
        rm -f "$out"
        ok
    done
done <<'EOF'
syntax error|tests/errors/doc_syntax_error/s.kp
unknown name|tests/errors/doc_scheme_error/s.kp
missing scheme|tests/errors/doc_missing_file/s.kp
unknown param|examples/annual/scheme.kp --set 优秀比列=25%
bad param value|examples/annual/scheme.kp --set 优秀比例=很多
unknown language|examples/annual/scheme.kp --lang fr
EOF

# A directory that cannot be written: an error, no output.
begin
"$bin" doc "$scheme" -o "$tmp/no/such/dir/out.md" >/dev/null 2>"$tmp/stderr"
st=$?
[ "$st" = 1 ] || bad "-o into a missing directory: exit status $st, expected 1"
grep -q "cannot write '$tmp/no/such/dir/out.md'" "$tmp/stderr" || bad "-o into a missing directory: no 'cannot write' message"
ok

# Standard output that cannot be written is an error too.
if [ -w /dev/full ]; then
    begin
    "$bin" doc "$scheme" >/dev/full 2>"$tmp/stderr"
    st=$?
    [ "$st" = 1 ] || bad "stdout /dev/full: exit status $st, expected 1"
    grep -q "cannot write to standard output" "$tmp/stderr" || bad "stdout /dev/full: no message"
    ok
fi

echo "doc: $pass passed, $fail failed"
[ "$fail" = 0 ]
