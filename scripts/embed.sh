#!/bin/sh
# Emits a C file embedding each stdlib/*.kp as { "std/<name>", "<text>" }.
set -e
echo '#include <stddef.h>'
echo 'struct KpEmbedded { const char *name; const char *text; size_t len; };'
echo 'const struct KpEmbedded kp_stdlib_files[] = {'
for f in "$@"; do
    name=$(basename "$f" .kp)
    printf '  { "std/%s", ' "$name"
    od -An -v -tx1 "$f" | tr -d '\n' | sed 's/ \([0-9a-f][0-9a-f]\)/\\x\1/g; s/^/"/; s/$/"/'
    printf ', %s },\n' "$(wc -c < "$f")"
done
echo '  { NULL, NULL, 0 }'
echo '};'
