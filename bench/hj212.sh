#!/usr/bin/env bash
# HJ 212 benchmark (prints figures; not pass/fail).
# 1. Codec: frames/s per core parsing + CRC on a realistic 2011/2051/2061 mix with 6-12 factors
#    (target >= 1,000,000).
# 2. End to end on this machine, SQLite, acks after commit: N simulated devices (default 5,000)
#    registered as points, `envgov hj212 sim` at rising rates; sustained frames/s, values/s,
#    ack p50/p99 and server RSS (targets: >= 50,000 frames/s, p99 < 50 ms at 20,000 frames/s,
#    RSS < 200 MB with 10,000 idle connections).
# 3. Ceiling: the same simulator load against bench/lineecho.c, a bare libuv server that answers
#    every line at once (no parsing, no database), and envgov's acked frames/s as a ratio of it.
# 4. Server RSS: started, holding IDLE (default 10,000) idle device connections, after the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DEVICES=${DEVICES:-5000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
IDLE=${IDLE:-10000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cmake --build "$BUILD" >/dev/null
cc -O2 -std=c17 -D_GNU_SOURCE -Isrc -o "$work/codec" bench/hj212_codec.c src/monitor/hj212.c \
  src/core/util.c src/core/log.c $(pkg-config --cflags --libs libsodium)
cc -O2 -std=c17 -D_GNU_SOURCE -o "$work/lineecho" bench/lineecho.c $(pkg-config --cflags --libs libuv)
echo "== codec"
"$work/codec"
rss() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }

echo "== end to end ($DEVICES devices, SQLite, acks after commit)"
ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$work/data" --enterprises 10 >/dev/null 2>&1
# Register the simulated devices as points of the first enterprise (bench set-up only).
python3 - "$work/data/envgov.db" "$(( DEVICES > IDLE ? DEVICES : IDLE ))" <<'PY'
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
rss_start=$(rss $server)
"$work/lineecho" $((port + 2)) &
echo=$!
sim() { # target rate → the simulator's summary line
  "$BUILD/envgov" hj212 sim --data "$work/data" --target "$1" --devices "$DEVICES" --rate "$2" \
    --seconds "$SECONDS_PER_RUN" 2>/dev/null
}
acked() { sed -n 's/.* \([0-9]*\) frames\/s.*/\1/p' <<<"$1"; }
printf "%-22s %-10s %s\n" "offered" "server" "result"
for rate in 1 4 10 20; do
  ceiling=$(sim 127.0.0.1:$((port + 2)) "$rate")
  printf "%-22s %-10s %s\n" "$((DEVICES * rate)) frames/s" "lineecho" "$ceiling"
  line=$(sim 127.0.0.1:$((port + 1)) "$rate")
  printf "%-22s %-10s %s\n" "" "envgov" "$line"
  printf "%-22s %-10s %s\n" "" "ratio" "$(python3 -c "print('%.2fx of the ceiling' % ($(acked "$line") / max(1, $(acked "$ceiling"))))")"
done
rss_runs=$(rss $server)
echo "lineecho RSS after the runs: $(rss $echo) MB"
kill $echo

echo "== idle connections ($IDLE devices, one frame each, then silent)"
"$BUILD/envgov" hj212 sim --data "$work/data" --target 127.0.0.1:$((port + 1)) --devices "$IDLE" \
  --idle --seconds 20 >"$work/idle.out" 2>/dev/null &
idle_sim=$!
for _ in $(seq 40); do
  sleep 0.5
  n=$(ss -Htn state established "( sport = :$((port + 1)) )" | wc -l)
  [ "$n" -ge "$IDLE" ] && break
done
sleep 3
echo "established: $n; server RSS: started $rss_start MB, after the load runs $rss_runs MB," \
  "holding $n idle connections $(rss $server) MB"
wait $idle_sim
cat "$work/idle.out"
