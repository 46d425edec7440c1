#!/usr/bin/env bash
# Draw benchmark (prints figures; never a pass/fail test): a 双随机 draw over N_ENT (1,000,000)
# enterprises with credit weights (credit_current for 80 %), 2 % on the positive list, and
# recusal over N_INSP (2,000) inspectors (N_DECL declared relationships and the inspectors of a
# previous draw of N_PREV targets), beside reading the same pool from the database in the same
# run (bench/draw.c). Target (issue 13): the draw within 2x of the read.
# SQLite and PostgreSQL (BACKENDS, "sqlite postgresql" or either alone); the data comes from
# bench/draw_data.sql.
# Settings (environment): BACKENDS, N_ENT, N_INSP, N_DECL (20000), N_PREV (50000), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N_ENT=${N_ENT:-1000000}
N_INSP=${N_INSP:-2000}
N_DECL=${N_DECL:-20000}
N_PREV=${N_PREV:-50000}
BACKENDS=${BACKENDS:-sqlite postgresql}
. bench/lib.sh
parse_backends
make_workdir
cmake --build "$BUILD" >/dev/null
libs="pangocairo pangoft2 fontconfig harfbuzz-subset cairo libqrencode libsodium jansson sqlite3 libpq
  libmicrohttpd libuv libzip expat xlsxwriter zlib libcurl icu-i18n icu-uc"
# shellcheck disable=SC2086
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/draw" bench/draw.c "$BUILD/libenvgov_lib.a" \
  $(pkg-config --cflags --libs $libs) -lm -lpthread
echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
declare -A out
for b in "${backends[@]}"; do
  data=$work/data-$b
  mkdir -p "$data"
  url=""
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    url=$(scripts/pg-cluster createdb "$work/pg" bench_draw)
    echo "db = $url" >"$data/envgov.ini"
  fi
  echo "bench: $b: demo database, then $N_ENT enterprises, $N_INSP inspectors, $N_DECL declarations, a previous draw of $N_PREV..."
  "$BUILD/envgov" demo --data "$data" --enterprises 10 >"$work/demo-$b.log" 2>&1 ||
    { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  sed "s/:N_ENT/$N_ENT/g; s/:N_INSP/$N_INSP/g; s/:N_DECL/$N_DECL/g; s/:N_PREV/$N_PREV/g" bench/draw_data.sql >"$work/data.sql"
  start=$(date +%s.%N)
  if [ "$b" = postgresql ]; then
    psql -X -q -v ON_ERROR_STOP=1 -d "$url" -1 -f "$work/data.sql" -c 'ANALYZE' >/dev/null
  else
    # The sqlite3 shell knows no zh collation: the indexes in it go (the draw reads none of them).
    zh=$(sqlite3 "$data/envgov.db" "SELECT group_concat('DROP INDEX ' || name || ';', ' ') FROM sqlite_master WHERE type = 'index' AND sql LIKE '%COLLATE zh%'")
    { echo "$zh PRAGMA synchronous = OFF; BEGIN;"; cat "$work/data.sql"; echo "COMMIT; ANALYZE;"; } |
      sqlite3 -bail "$data/envgov.db" >/dev/null
  fi
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "bench: data ready in %.0f s\n", e - s }'
  out[$b]=$("$work/draw" "$data" "$url")
  echo "${out[$b]}"
done
echo
for b in "${backends[@]}"; do
  echo "$b: $(grep '^ratio' <<<"${out[$b]}")"
done
