#!/usr/bin/env bash
# Credit benchmark (prints figures; never a pass/fail test): the nightly recompute
# (credit.recompute: every enterprise scored from its events under the rule set of its region,
# in batches of one transaction each) of N_ENT enterprises from N_EV events, beside one scan of
# the events table (the recompute's own read of every event, in the same order) in the same run (bench/credit.c, through the store's statement API). Two recomputes: the first grades every enterprise (a
# history row and a current grade each), the second finds nothing changed (the nightly case).
# Target: the recompute within 3x of the scan. For each backend in BACKENDS ("sqlite
# postgresql", either alone): a demo database, bench/credit_data[.pg].sql for the rest.
# Settings (environment): BACKENDS, N_ENT (100000), N_EV (1000000), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
N_ENT=${N_ENT:-100000}
N_EV=${N_EV:-1000000}
. bench/lib.sh
parse_backends
cmake --build "$BUILD" >/dev/null
make_workdir

libs="pangocairo pangoft2 fontconfig harfbuzz-subset cairo libqrencode libsodium jansson sqlite3 libpq
  libmicrohttpd libuv libzip expat xlsxwriter zlib libcurl icu-i18n icu-uc"
# shellcheck disable=SC2086
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/credit" bench/credit.c "$BUILD/libenvgov_lib.a" \
  $(pkg-config --cflags --libs $libs) -lm -lpthread
echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
declare -A res
for b in "${backends[@]}"; do
  data=$work/data-$b
  mkdir -p "$data"
  sqlfile=bench/credit_data.sql
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    url=$(scripts/pg-cluster createdb "$work/pg" bench_credit)
    echo "db = $url" >"$data/envgov.ini"
    sqlfile=bench/credit_data.pg.sql
  fi
  echo "bench: $b: demo database, $N_ENT enterprises and $N_EV credit events..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises 20 >"$work/demo-$b.log" 2>&1 ||
    { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  sed "s/:E/$N_ENT/g; s/:V/$N_EV/g" "$sqlfile" >"$work/data.sql"
  "$work/credit" "$data" "$work/data.sql" >"$work/out-$b.txt" 2>"$work/bench-$b.log" || { echo "bench: $b failed"; cat "$work/bench-$b.log"; exit 1; }
  sed 's/^/  /' "$work/out-$b.txt"
  res[$b,scan]=$(sed -n 's/^scan [0-9]* events: \([0-9.]*\) s$/\1/p' "$work/out-$b.txt")
  res[$b,first]=$(sed -n 's/^recompute first: \([0-9.]*\) s.*/\1/p' "$work/out-$b.txt")
  res[$b,again]=$(sed -n 's/^recompute nightly: \([0-9.]*\) s.*/\1/p' "$work/out-$b.txt")
  [ -n "${res[$b,scan]}" ] || { echo "bench: $b failed"; cat "$work/bench-$b.log"; exit 1; }
done
pg_log_check

printf "%-52s" ""; for b in "${backends[@]}"; do printf " | %-18s" "$b"; done; echo
printf "%-52s" "$N_ENT enterprises, $N_EV events"; for _ in "${backends[@]}"; do printf " | %8s %9s" "s" "vs scan"; done; echo
row() {
  printf "%-52s" "$1"
  for b in "${backends[@]}"; do
    printf " | %8s %9s" "${res[$b,$2]}" "$(python3 -c "print('%.2fx' % (${res[$b,$2]} / max(${res[$b,scan]}, 0.01)))")"
  done
  echo
}
row "one scan of the events table (baseline)" scan
row "recompute, first (every enterprise graded)" first
row "recompute, nightly (nothing changed)" again
echo "target: the recompute within 3x of the scan"
