#!/usr/bin/env bash
# Zoning benchmark (prints figures; never a pass/fail test): N_UNITS (40,000) generated control
# units — irregular cells over 湖州 sharing their edges, 4 access-list items each — imported
# through the import's parse and store, then N_CHECKS (20,000) random point site checks
# (zoning_site_check: STRtree, prepared geometries, items, JSON) beside the STRtree
# bounding-box lookup alone for the same points, in the same run (bench/zoning.c), with the
# ratio. SQLite and PostgreSQL (BACKENDS, "sqlite postgresql" or either alone).
# Settings (environment): BACKENDS, N_UNITS, N_CHECKS, BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N_UNITS=${N_UNITS:-40000}
N_CHECKS=${N_CHECKS:-20000}
BACKENDS=${BACKENDS:-sqlite postgresql}
. bench/lib.sh
parse_backends
make_workdir
cmake --build "$BUILD" >/dev/null
libs="pangocairo pangoft2 fontconfig harfbuzz-subset cairo libqrencode libsodium jansson sqlite3 libpq
  libmicrohttpd libuv libzip expat xlsxwriter zlib libcurl icu-i18n icu-uc geos shapelib"
# shellcheck disable=SC2086
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/zoning" bench/zoning.c "$BUILD/libenvgov_lib.a" \
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
    url=$(scripts/pg-cluster createdb "$work/pg" bench_zoning)
  fi
  echo "bench: $b: $N_UNITS units, $N_CHECKS site checks..."
  out[$b]=$("$work/zoning" "$data" "$N_UNITS" "$N_CHECKS" "$url")
  echo "${out[$b]}"
done
echo
for b in "${backends[@]}"; do
  echo "$b: $(grep '^site check' <<<"${out[$b]}") | $(grep '^bbox lookup' <<<"${out[$b]}" | cut -c16-) | $(grep '^ratio' <<<"${out[$b]}")"
done
