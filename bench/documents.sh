#!/usr/bin/env bash
# PDF notice benchmark (prints figures; not pass/fail): the permit-expiry reminder letter on one
# core (taskset -c 0).
#   1. Rendering + hashing only (bench/documents.c, no database): documents/s with the cut Noto
#      faces the server uses (fonts.c) and, for comparison, with the system's full faces.
#   2. With storage: `envgov documents remind` over a demo database whose permits are due, on
#      SQLite — numbering, rendering, the fsynced content-addressed blob, the attachment and
#      document rows and the audit row, each letter in a transaction of its own: documents/s.
# Target (issue 12): at least 50 documents/s on one core. N=300 letters in (1), ENTERPRISES=3600
# (300 due permits) in (2); BUILD=build.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${N:-300}
ENTERPRISES=${ENTERPRISES:-3600}
. bench/lib.sh
make_workdir
cmake --build "$BUILD" >/dev/null
libs="pangocairo pangoft2 fontconfig harfbuzz-subset cairo libqrencode libsodium jansson sqlite3 libpq
  libmicrohttpd libuv libzip expat xlsxwriter zlib libcurl icu-i18n icu-uc"
# shellcheck disable=SC2086
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/documents" bench/documents.c "$BUILD/libenvgov_lib.a" \
  $(pkg-config --cflags --libs $libs) -lm -lpthread
echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
echo "== rendering + SHA-256, one core"
taskset -c 0 "$work/documents" "$N" --out "$work/letter.pdf"
echo "-- the same with the system's full Noto CJK faces (NO_CUT=1)"
NO_CUT=1 taskset -c 0 "$work/documents" "$((N / 3))"

echo "== with storage (SQLite): envgov documents remind, one core"
"$BUILD/envgov" demo --data "$work/data" --enterprises "$ENTERPRISES" >/dev/null 2>&1
# The first run cuts the fonts into DATA/cache/fonts; time it apart from the letters.
start=$(date +%s.%N)
taskset -c 0 "$BUILD/envgov" documents remind --data "$work/data" >"$work/remind.log" 2>&1
end=$(date +%s.%N)
n=$(grep -oE '[0-9]+ permit-expiry' "$work/remind.log" | cut -d' ' -f1)
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN {
  printf "documents: %d letters issued in %.2f s (including the one-off font cut and the process start): %.0f documents/s\n", n, e - s, n / (e - s) }'
rm -f "$work/data/cache/fonts/"*.tmp
rm -rf "$work/data/attachments"
sqlite3 "$work/data/envgov.db" "DELETE FROM documents; DELETE FROM doc_sequences; DELETE FROM audit_log WHERE entity = 'document'; DELETE FROM attachments;"
start=$(date +%s.%N)
taskset -c 0 "$BUILD/envgov" documents remind --data "$work/data" >"$work/remind.log" 2>&1
end=$(date +%s.%N)
n=$(grep -oE '[0-9]+ permit-expiry' "$work/remind.log" | cut -d' ' -f1)
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN {
  printf "documents: %d letters issued in %.2f s with the fonts cached (process start included): %.0f documents/s\n", n, e - s, n / (e - s) }'
echo "documents: $(du -sk "$work/data/attachments" | cut -f1) KB of PDFs stored"
