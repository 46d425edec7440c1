#!/usr/bin/env bash
# Self-check generation benchmark (prints figures; never a pass/fail test): the monthly job
# patrol.selfcheck (patrol_selfcheck_generate: per enterprise one INSERT … SELECT from its permit
# clauses and monitoring points, an audit row per enterprise, 200 enterprises per transaction)
# for N_ENT enterprises × N_CL clauses in December (every frequency falls due: N_ENT × N_CL
# tasks), beside inserting the same rows plainly (one prepared INSERT per row, the same rows per
# transaction) in the same run (bench/patrol.c, through the store's statement API). A second
# run of the job finds nothing to add (idempotent). Target: the generation within 2x of the plain
# insert. For each backend in BACKENDS ("sqlite postgresql", either alone): a demo database,
# bench/patrol_data[.pg].sql for the rest.
# Settings (environment): BACKENDS, N_ENT (10000), N_CL (20), MONTH (2026-12), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
N_ENT=${N_ENT:-10000}
N_CL=${N_CL:-20}
MONTH=${MONTH:-2026-12}
. bench/lib.sh
parse_backends
cmake --build "$BUILD" >/dev/null
make_workdir

libs="pangocairo pangoft2 fontconfig harfbuzz-subset cairo libqrencode libsodium jansson sqlite3 libpq
  libmicrohttpd libuv libzip expat xlsxwriter zlib libcurl icu-i18n icu-uc"
# shellcheck disable=SC2086
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/patrol" bench/patrol.c "$BUILD/libenvgov_lib.a" \
  $(pkg-config --cflags --libs $libs) -lm -lpthread
echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
declare -A res
for b in "${backends[@]}"; do
  data=$work/data-$b
  mkdir -p "$data"
  sqlfile=bench/patrol_data.sql
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    url=$(scripts/pg-cluster createdb "$work/pg" bench_patrol)
    echo "db = $url" >"$data/envgov.ini"
    sqlfile=bench/patrol_data.pg.sql
  fi
  echo "bench: $b: demo database, $N_ENT enterprises × $N_CL clauses..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises 20 >"$work/demo-$b.log" 2>&1 ||
    { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  sed "s/:E/$N_ENT/g; s/:C/$N_CL/g" "$sqlfile" >"$work/data.sql"
  "$work/patrol" "$data" "$work/data.sql" "$MONTH" >"$work/out-$b.txt" 2>"$work/bench-$b.log" || { echo "bench: $b failed"; cat "$work/bench-$b.log"; exit 1; }
  sed 's/^/  /' "$work/out-$b.txt"
  res[$b,gen]=$(sed -n 's/^generate: \([0-9.]*\) s.*/\1/p' "$work/out-$b.txt")
  res[$b,again]=$(sed -n 's/^generate again: \([0-9.]*\) s.*/\1/p' "$work/out-$b.txt")
  res[$b,plain]=$(sed -n 's/^plain insert: \([0-9.]*\) s.*/\1/p' "$work/out-$b.txt")
  [ -n "${res[$b,plain]}" ] || { echo "bench: $b failed"; cat "$work/bench-$b.log"; exit 1; }
done
pg_log_check

printf "%-52s" ""; for b in "${backends[@]}"; do printf " | %-18s" "$b"; done; echo
printf "%-52s" "$N_ENT enterprises × $N_CL clauses, $MONTH"; for _ in "${backends[@]}"; do printf " | %8s %9s" "s" "vs plain"; done; echo
row() {
  printf "%-52s" "$1"
  for b in "${backends[@]}"; do
    printf " | %8s %9s" "${res[$b,$2]}" "$(python3 -c "print('%.2fx' % (${res[$b,$2]} / max(${res[$b,plain]}, 0.01)))")"
  done
  echo
}
row "plain insert of the same rows (baseline)" plain
row "generation (the job)" gen
row "generation again (nothing new)" again
echo "target: the generation within 2x of the plain insert"
