#!/bin/sh
# bench.sh — times `kaoping run` on the annual example scheme over synthetic
# data of 100,000 and 1,000,000 persons (about 7.5 cases each).
#
# The data sets are made once with build/kpgen into $BENCH_DIR (default
# /tmp/kaoping-bench) and reused by later runs. Each run is timed with
# /usr/bin/time -v (wall clock and maximum resident set size), and with
# hyperfine as well when it is installed.
#
# Environment: BENCH_DIR (data and output), BENCH_SIZES (default
# "100000 1000000"), BENCH_SEED (default 1), MAKE (default make).
set -e
cd "$(dirname "$0")/.."

bench_dir=${BENCH_DIR:-/tmp/kaoping-bench}
sizes=${BENCH_SIZES:-"100000 1000000"}
seed=${BENCH_SEED:-1}
kp=build/kaoping
gen=build/kpgen
scheme=examples/annual/scheme.kp
out=$bench_dir/out.csv

[ -x "$kp" ] || ${MAKE:-make} "$kp"
[ -x "$gen" ] || ${MAKE:-make} "$gen"
mkdir -p "$bench_dir"

# Makes the data set for $1 persons unless it is already there. It is written
# to a temporary directory and renamed, so an interrupted run leaves no
# half-made set behind.
make_data() {
    dir=$bench_dir/persons-$1
    if [ -f "$dir/cases.csv" ]; then
        echo "data: $dir (exists)"
        return
    fi
    rm -rf "$dir.tmp"
    echo "data: generating $1 persons into $dir"
    "$gen" --persons "$1" --seed "$seed" --out "$dir.tmp"
    mv "$dir.tmp" "$dir"
}

# Prints the size of the data set in $1: rows of persons and cases, and bytes.
describe_data() {
    persons=$(($(wc -l <"$1/persons.csv") - 1))
    cases=$(($(wc -l <"$1/cases.csv") - 1))
    bytes=$(cat "$1"/*.csv | wc -c)
    echo "      $persons persons, $cases cases, $((bytes / 1048576)) MiB of CSV"
}

# Times one run with /usr/bin/time -v and prints wall time and peak memory.
time_run() {
    if [ ! -x /usr/bin/time ]; then
        echo "      (/usr/bin/time not found; plain timing)"
        time "$kp" run "$scheme" --data "$1" -o "$out"
        return
    fi
    /usr/bin/time -v -o "$bench_dir/time.txt" "$kp" run "$scheme" --data "$1" -o "$out"
    wall=$(sed -n 's/^.*Elapsed (wall clock) time (h:mm:ss or m:ss): *//p' "$bench_dir/time.txt")
    rss=$(sed -n 's/^.*Maximum resident set size (kbytes): *//p' "$bench_dir/time.txt")
    echo "      wall $wall, max RSS $((rss / 1024)) MiB ($rss KiB)"
}

for n in $sizes; do
    make_data "$n"
done

for n in $sizes; do
    dir=$bench_dir/persons-$n
    echo "== $n persons"
    describe_data "$dir"
    time_run "$dir"
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine --warmup 1 --min-runs 3 \
            "$kp run $scheme --data $dir -o $out"
    fi
done
