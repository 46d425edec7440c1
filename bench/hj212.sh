#!/usr/bin/env bash
# HJ 212 benchmark (prints figures; not pass/fail).
# 1. Codec: frames/s per core parsing + CRC on a realistic 2011/2051/2061 mix with 6-12 factors
#    (target >= 1,000,000).
# 2. End to end on this machine, SQLite, acks after commit: N simulated devices (default 5,000)
#    registered as points, `envgov hj212 sim` at rising rates; sustained frames/s, values/s,
#    ack p50/p99 and server RSS (targets: >= 50,000 frames/s, p99 < 50 ms at 20,000 frames/s,
#    RSS < 200 MB with 10,000 idle connections).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DEVICES=${DEVICES:-5000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cmake --build "$BUILD" >/dev/null
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/codec" bench/hj212_codec.c src/monitor/hj212.c \
  src/core/util.c src/core/log.c $(pkg-config --cflags --libs libsodium)
echo "== codec"
"$work/codec"

echo "== end to end ($DEVICES devices, SQLite, acks after commit)"
ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$work/data" --enterprises 10 >/dev/null 2>&1
# Register the simulated devices as points of the first enterprise (bench set-up only).
python3 - "$work/data/envgov.db" "$DEVICES" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
now = '2026-11-22T00:00:00Z'
db.executemany("INSERT INTO points (enterprise_id, mn, name, password, created_at, updated_at)"
               " VALUES (1, ?, ?, '654321', ?, ?)",
               [('B3C4%020d' % i, 'sim %d' % i, now, now) for i in range(n)])
db.commit()
PY
port=$((21000 + RANDOM % 20000))
ENVGOV_ACCESS_LOG=off ENVGOV_LOG_LEVEL=warn "$BUILD/envgov" serve --data "$work/data" \
  --http 127.0.0.1:$port --hj212 127.0.0.1:$((port + 1)) 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
for rate in 1 4 10 20; do
  printf "offered %6d frames/s: " $((DEVICES * rate))
  "$BUILD/envgov" hj212 sim --data "$work/data" --target 127.0.0.1:$((port + 1)) \
    --devices "$DEVICES" --rate "$rate" --seconds "$SECONDS_PER_RUN" 2>/dev/null
done
echo "server RSS after the runs: $(( $(ps -o rss= -p $server) / 1024 )) MB"
