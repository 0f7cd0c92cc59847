#!/bin/sh
# `kaoping fmt` over every rule file in the repository, and what golden
# directories cannot express (files rewritten in place).
#
# For every .kp file under rules/, examples/, stdlib/ and tests/ (formatted
# into a copy of those trees):
#   - a file that `check` accepts is always formatted;
#   - formatting is idempotent: fmt(fmt(x)) == fmt(x), and `fmt --check`
#     names exactly the files that fmt changes;
#   - formatting keeps the meaning: `check` in the formatted copy gives the
#     same exit status and the same messages (locations aside: lines move).
# For every golden or error test that runs a scheme on data (its cmd file):
#   - the run gives byte-identical output and the same exit status after the
#     scheme, the files it imports and the standard modules it imports are
#     formatted (a formatted std/X is put beside the scheme and imported from
#     there).
# Then -w, --check and standard input on scratch files.
# Usage: tests/fmt_test.sh path/to/kaoping
set -u
bin=${1:?usage: fmt_test.sh path/to/kaoping}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
cd "$(dirname "$0")/.."
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
f0=0
begin() { f0=$fail; }
ok() { [ "$fail" = "$f0" ] && pass=$((pass + 1)); }
bad() { echo "FAIL fmt: $*"; fail=$((fail + 1)); }

# Diagnostics without their locations: "path:line:col: " becomes "path: ", and
# the source line and caret line under each are dropped.
messages() {
    # line numbers inside a message ("first on line 26") move with the layout too
    sed -E -e '/^ *[0-9]* \|( |$)/d' -e 's/^([^:]*):[0-9]+:[0-9]+: /\1: /' \
        -e 's/ on line [0-9]+/ on line N/g' "$1"
}

# The rule files (each once: a process per file is slow under the sanitizers)
# whose diagnostics in $1 say they cannot be formatted.
rejected() {
    for f in $files; do
        grep -q "^$f:\([0-9]*:[0-9]*:\)\{0,1\} error: " "$1" && echo "$f"
    done
}

# ---- every rule file, formatted in place in a copy of the trees ----
files=$(find rules examples stdlib tests -name '*.kp' | LC_ALL=C sort)
nfiles=$(echo "$files" | wc -l)
[ "$nfiles" -gt 50 ] || bad "only $nfiles rule files found"
mirror=$tmp/mirror
mkdir "$mirror"
cp -R rules examples stdlib tests "$mirror"

begin
# shellcheck disable=SC2086
"$bin" fmt --check $files >"$tmp/check.out" 2>"$tmp/check.err"
# shellcheck disable=SC2086
(cd "$mirror" && "$bin" fmt -w $files) >"$tmp/w.out" 2>"$tmp/w.err"
[ -s "$tmp/w.out" ] && bad "fmt -w wrote to standard output"
rejected "$tmp/check.err" >"$tmp/rejected"
rejected "$tmp/w.err" >"$tmp/rejected.w"
cmp -s "$tmp/rejected" "$tmp/rejected.w" || bad "fmt -w and fmt --check reject other files"
changed=
for f in $files; do
    cmp -s "$f" "$mirror/$f" || changed="$changed $f"
done
[ "$(echo $changed)" = "$(echo $(cat "$tmp/check.out"))" ] ||
    bad "fmt --check names other files than fmt -w rewrites"
[ -n "$changed" ] || bad "no rule file needed formatting (the layout tests see nothing)"
ok

# Idempotent: formatting the formatted trees changes nothing.
begin
# shellcheck disable=SC2086
(cd "$mirror" && "$bin" fmt --check $files) >"$tmp/again.out" 2>"$tmp/again.err"
[ -s "$tmp/again.out" ] && bad "fmt is not idempotent on: $(cat "$tmp/again.out")"
rejected "$tmp/again.err" >"$tmp/rejected.again"
cmp -s "$tmp/rejected" "$tmp/rejected.again" || bad "fmt rejects its own output"
ok

# The same diagnostics from check before and after (imports are read from
# the same tree, so a module is formatted when its importer is).
begin
# shellcheck disable=SC2086
"$bin" check $files >/dev/null 2>"$tmp/a.err"
# shellcheck disable=SC2086
(cd "$mirror" && "$bin" check $files) >/dev/null 2>"$tmp/b.err"
messages "$tmp/a.err" >"$tmp/a.msg"
messages "$tmp/b.err" >"$tmp/b.msg"
cmp -s "$tmp/a.msg" "$tmp/b.msg" ||
    { bad "check says something else after formatting"; diff "$tmp/a.msg" "$tmp/b.msg" | head -10; }
# A file fmt rejects has syntax errors, so check reports errors too.
for f in $(cat "$tmp/rejected"); do
    grep -q "^$f: error: " "$tmp/a.msg" || bad "$f: fmt rejects it but check reports no error"
done
[ -s "$tmp/rejected" ] || bad "no rule file with a syntax error was tried"
ok

# ---- runs on data: the same results after formatting ----
nruns=0
for cmdfile in tests/golden/*/cmd tests/errors/*/cmd; do
    args=$(cat "$cmdfile")
    # shellcheck disable=SC2086
    set -- $args
    [ "${1:-}" = run ] && [ -f "${2:-}" ] || continue
    case " $args " in *" -o "* | *" --output"*) continue ;; esac
    scheme=$2
    nruns=$((nruns + 1))
    begin
    copy=$mirror/$scheme
    # Standard modules come from the binary: import formatted copies instead.
    mods=$(sed -n 's/^[^#]*"std\/\([a-z_]*\)".*/\1/p' "$scheme")
    if [ -n "$mods" ]; then
        rm -rf "$tmp/run"
        cp -R "$(dirname "$copy")" "$tmp/run"
        copy=$tmp/run/$(basename "$scheme")
        for m in $mods; do
            cp "$mirror/stdlib/$m.kp" "$tmp/run/std_$m.kp"
            sed -i "s|\"std/$m\"|\"std_$m\"|" "$copy"
        done
    fi
    (eval "\"$bin\" $args") >"$tmp/before.out" 2>/dev/null </dev/null
    st_before=$?
    rest=${args#run "$scheme"}
    (eval "\"$bin\" run \"$copy\" $rest") >"$tmp/after.out" 2>/dev/null </dev/null
    st_after=$?
    [ "$st_before" = "$st_after" ] || bad "$cmdfile: run exits $st_before before formatting and $st_after after"
    cmp -s "$tmp/before.out" "$tmp/after.out" ||
        { bad "$cmdfile: run output differs after formatting"; diff "$tmp/before.out" "$tmp/after.out" | head -5; }
    [ -s "$tmp/before.out" ] || [ "$st_before" != 0 ] || bad "$cmdfile: the run printed nothing"
    ok
done
[ "$nruns" -gt 20 ] || bad "only $nruns runs on data found"

# ---- -w, --check and standard input ----
messy=tests/golden/fmt_messy/in.kp
clean=tests/golden/fmt_canonical/in.kp
broken=tests/errors/fmt_syntax_error/s.kp
mkdir "$tmp/w"
cp "$messy" "$tmp/w/messy.kp"
cp "$clean" "$tmp/w/clean.kp"
cp "$broken" "$tmp/w/broken.kp"
chmod 640 "$tmp/w/messy.kp"
ln -s messy.kp "$tmp/w/link.kp"
inode() { ls -i "$1" | cut -d' ' -f1; }
clean_inode=$(inode "$tmp/w/clean.kp")

begin
"$bin" fmt "$messy" >"$tmp/want.kp" 2>/dev/null
"$bin" fmt -w "$tmp/w/link.kp" "$tmp/w/clean.kp" >"$tmp/out" 2>"$tmp/err"
st=$?
[ "$st" = 0 ] || bad "-w: exit status $st, expected 0: $(head -3 "$tmp/err")"
[ -s "$tmp/out" ] && bad "-w: wrote to standard output"
cmp -s "$tmp/w/messy.kp" "$tmp/want.kp" || bad "-w: the rewritten file is not what fmt prints"
[ -L "$tmp/w/link.kp" ] || bad "-w: a symbolic link was replaced by a file"
[ "$(stat -c %a "$tmp/w/messy.kp")" = 640 ] || bad "-w: the file lost its permissions"
[ "$(inode "$tmp/w/clean.kp")" = "$clean_inode" ] || bad "-w: a file already formatted was rewritten"
ls "$tmp/w" | grep -q tmp && bad "-w: left a temporary file: $(ls "$tmp/w")"
ok

begin
cp "$tmp/w/broken.kp" "$tmp/broken.orig"
"$bin" fmt -w "$tmp/w/broken.kp" >/dev/null 2>"$tmp/err"
st=$?
[ "$st" = 1 ] || bad "-w on a syntax error: exit status $st, expected 1"
cmp -s "$tmp/w/broken.kp" "$tmp/broken.orig" || bad "-w changed a file with a syntax error"
grep -q 'error:' "$tmp/err" || bad "-w on a syntax error: no diagnostic"
ok

begin
cp "$messy" "$tmp/w/messy2.kp"
(cd "$tmp/w" && "$bin" fmt --check clean.kp messy2.kp messy.kp) >"$tmp/out" 2>"$tmp/err"
st=$?
[ "$st" = 1 ] || bad "--check: exit status $st, expected 1"
[ "$(cat "$tmp/out")" = messy2.kp ] || bad "--check: named '$(cat "$tmp/out")', expected messy2.kp"
[ -s "$tmp/err" ] && bad "--check: unexpected standard error: $(head -3 "$tmp/err")"
cmp -s "$tmp/w/messy2.kp" "$messy" || bad "--check changed a file"
"$bin" fmt --check "$tmp/w/clean.kp" >"$tmp/out" 2>&1 || bad "--check on a formatted file: exit status $?"
[ -s "$tmp/out" ] && bad "--check on a formatted file printed: $(cat "$tmp/out")"
ok

begin
"$bin" fmt - <"$messy" >"$tmp/stdin.kp" 2>"$tmp/err" || bad "fmt -: exit status $?"
cmp -s "$tmp/stdin.kp" "$tmp/want.kp" || bad "fmt - differs from fmt FILE"
"$bin" fmt <"$messy" >"$tmp/stdin.kp" 2>"$tmp/err" || bad "fmt without FILE: exit status $?"
cmp -s "$tmp/stdin.kp" "$tmp/want.kp" || bad "fmt without FILE differs from fmt FILE"
"$bin" fmt --check <"$messy" >"$tmp/out" 2>&1
[ "$?" = 1 ] && [ "$(cat "$tmp/out")" = "<stdin>" ] || bad "fmt --check on standard input: '$(cat "$tmp/out")'"
ok

echo "fmt: $pass passed, $fail failed ($nfiles rule files, $nruns runs on data)"
[ "$fail" = 0 ]
