#!/usr/bin/env bash
# Positive-list benchmark (prints figures; never a pass/fail test): the candidates view judges
# every active enterprise of the caller's area against the criteria in force for its region
# (one query with the facts as correlated subqueries, the rule set resolved per region, the
# criteria judged in C). For each backend in BACKENDS ("sqlite postgresql", either alone) it
# creates a demo database of N_ENT enterprises, gives half of them a credit grade and a tenth a
# penalty (the credit module's contract tables), serves it and times, as admin,
# GET /api/v1/positive/candidates?eligible=all&limit=50 (all N_ENT judged, one page returned)
# beside GET /api/v1/enterprises/export (the same enterprises read and written as CSV) in the
# same run: the median of RUNS requests each, and the ratio. Target: candidates within 2x of
# the export (ratio <= 2).
# Settings (environment): BACKENDS, N_ENT (20000), RUNS (7), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
N_ENT=${N_ENT:-20000}
RUNS=${RUNS:-7}
. bench/lib.sh
parse_backends
cmake --build "$BUILD" >/dev/null
make_workdir

echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
median() { # seconds of RUNS requests of url with cookie → the median in ms
  local url=$1 cookie=$2 t=()
  for _ in $(seq "$RUNS"); do
    t+=("$(curl -sf -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$url")")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'
}
for b in "${backends[@]}"; do
  data=$work/data-$b
  mkdir -p "$data"
  port=$(free_port); hj=$(free_port)
  while [ "$port" = "$hj" ]; do hj=$(free_port); done
  sqlrun() { sqlite3 -bail "$data/envgov.db" "$1"; }
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    url=$(scripts/pg-cluster createdb "$work/pg" bench_positive)
    echo "db = $url" >"$data/envgov.ini"
    sqlrun() { psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "$1" >/dev/null; }
  fi
  echo "bench: $b: demo database ($N_ENT enterprises)..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises "$N_ENT" \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  sqlrun "INSERT INTO credit_current (subject_kind, subject_id, grade, score, rule_set_id, rule_version, since)
          SELECT 'enterprise', id, CASE WHEN id % 4 = 0 THEN 'green' ELSE 'blue' END, 90, 1, 1, '2026-01-01'
          FROM enterprises WHERE id % 2 = 0"
  sqlrun "INSERT INTO credit_events (subject_kind, subject_id, type, occurred_on)
          SELECT 'enterprise', id, 'penalty', '2026-01-15' FROM enterprises WHERE id % 10 = 0"
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" serve --data "$data" --http "127.0.0.1:$port" \
    --hj212 "127.0.0.1:$hj" 2>>"$work/serve-$b.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  cookie=$(curl -si -H 'content-type: application/json' \
    -d '{"username":"admin","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "bench: login failed on $b"; exit 1; }
  base="http://127.0.0.1:$port/api/v1"
  curl -sf -H "Cookie: $cookie" "$base/positive/candidates?eligible=all&limit=1" |
    python3 -c 'import json,sys; c=json.load(sys.stdin); print("bench: %d enterprises judged, %d qualify" % (c["total"], c["eligible_total"]))'
  cand=$(median "$base/positive/candidates?eligible=all&limit=50" "$cookie")
  exp=$(median "$base/enterprises/export" "$cookie")
  kill "$server"; wait "$server" 2>/dev/null || true
  printf '%-10s candidates (all %d judged) %8s ms   enterprise export %8s ms   ratio %.2f (target <= 2)\n' \
    "$b" "$N_ENT" "$cand" "$exp" "$(python3 -c "print($cand / $exp)")"
done
