#!/bin/sh
# Checks the build and test dependencies of kaoping on Debian 12. As root it
# installs what is missing; otherwise it prints the exact apt-get line and fails.
set -e
missing=""
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need_hdr() { [ -f "/usr/include/$1" ] || missing="$missing $2"; }
need_cmd cc gcc
need_cmd make make
need_cmd flex flex
need_cmd bison bison
need_hdr uthash.h uthash-dev
need_hdr criterion/criterion.h libcriterion-dev
need_cmd pkg-config pkg-config
need_cmd xmllint libxml2-utils   # tests/doc_test.sh checks the HTML documents
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
    echo "kaoping: installing build dependencies:$missing" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
else
    echo "kaoping: missing build dependencies; install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
