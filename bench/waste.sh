#!/usr/bin/env bash
# Hazardous-waste benchmark (prints figures; never a pass/fail test): warehouse / smart-scale
# events ingested per second, each acknowledged after its commit (POST /api/v1/waste/device/events
# by `envgov waste sim`: pairs of a weighing, kind generate, and its store_in; one ledger record,
# the event and an audit row per transaction), beside the HJ 212 ingest rate of the same server in
# the same run (`envgov hj212 sim`, acks after commit, DEVICES devices at RATE frames/s each for
# HJ_SECONDS). For each backend in BACKENDS ("sqlite postgresql", either alone).
# Settings (environment): BACKENDS, EVENTS (4000), CONNECTIONS (4), DEVICES (500), RATE (10),
# HJ_SECONDS (8), BUILD.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BACKENDS=${BACKENDS:-sqlite postgresql}
EVENTS=${EVENTS:-4000}
CONNECTIONS=${CONNECTIONS:-4}
DEVICES=${DEVICES:-500}
RATE=${RATE:-10}
SECONDS_RUN=${HJ_SECONDS:-8}
. bench/lib.sh
parse_backends
cmake --build "$BUILD" >/dev/null
make_workdir

echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg) before the runs"
for b in "${backends[@]}"; do
  data=$work/data-$b
  mkdir -p "$data"
  port=$(free_port); hj=$(free_port)
  while [ "$port" = "$hj" ]; do hj=$(free_port); done
  if [ "$b" = postgresql ]; then
    scripts/pg-cluster start "$work/pg" >/dev/null
    pg_started=1
    url=$(scripts/pg-cluster createdb "$work/pg" bench_waste)
    echo "db = $url" >"$data/envgov.ini"
  fi
  echo "bench: $b: demo database..."
  ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$data" --enterprises 50 \
    >"$work/demo-$b.log" 2>&1 || { echo "bench: demo failed on $b"; cat "$work/demo-$b.log"; exit 1; }
  # The simulated HJ 212 devices as points of the first enterprise (bench set-up only).
  if [ "$b" = sqlite ]; then
    python3 - "$data/envgov.db" "$DEVICES" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
now = '2026-11-22T00:00:00Z'
db.executemany("INSERT INTO points (enterprise_id, mn, name, password, created_at, updated_at)"
               " VALUES (1, ?, ?, '654321', ?, ?)",
               [('W4C4%020d' % i, 'sim %d' % i, now, now) for i in range(n)])
db.commit()
PY
  else
    psql -X -q -v ON_ERROR_STOP=1 -v n="$DEVICES" "$url" <<'SQL'
INSERT INTO points (enterprise_id, mn, name, password, created_at, updated_at)
SELECT 1, 'W4C4' || lpad(i::text, 20, '0'), 'sim ' || i, '654321',
       '2026-11-22T00:00:00Z', '2026-11-22T00:00:00Z'
FROM generate_series(0, :n - 1) AS i;
ANALYZE points;
SQL
  fi
  ENVGOV_ACCESS_LOG=off ENVGOV_LOG_LEVEL=warn "$BUILD/envgov" serve --data "$data" \
    --http "127.0.0.1:$port" --hj212 "127.0.0.1:$hj" 2>>"$work/serve-$b.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  jar=$work/cookies-$b
  csrf=$(curl -sf -c "$jar" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  base="http://127.0.0.1:$port/api/v1"
  site=$(curl -sf -b "$jar" "$base/waste/sites" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  token=$(curl -sf -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench smart scale"}' "$base/waste/sites/$site/devices" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  waste_line=$("$BUILD/envgov" waste sim --target "127.0.0.1:$port" --token "$token" \
    --events "$EVENTS" --connections "$CONNECTIONS" 2>&1 || true)
  echo "  $waste_line"
  hj_line=$("$BUILD/envgov" hj212 sim --data "$data" --target "127.0.0.1:$hj" --devices "$DEVICES" \
    --rate "$RATE" --seconds "$SECONDS_RUN" 2>/dev/null | tail -1 || echo "hj212 sim failed")
  echo "  hj212: $hj_line"
  kill "$server"; wait "$server" 2>/dev/null || true
  wps=$(sed -n 's/.*: \([0-9]*\) events\/s.*/\1/p' <<<"$waste_line")
  fps=$(sed -n 's/.* \([0-9]*\) frames\/s.*/\1/p' <<<"$hj_line")
  printf '%-10s warehouse events %8s events/s (%s connections)   HJ 212 ingest %8s frames/s (%s devices x %s/s offered)\n' \
    "$b" "${wps:-?}" "$CONNECTIONS" "${fps:-?}" "$DEVICES" "$RATE"
  problems=$(serve_log_problems "$work/serve-$b.log")
  [ "$problems" = 0 ] || { echo "  serve log: $problems warn/error lines"; show_first "$SERVE_PROBLEM" "$work/serve-$b.log" "$problems"; }
done
