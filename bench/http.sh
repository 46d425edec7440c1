#!/usr/bin/env bash
# HTTP benchmark (prints figures; never a pass/fail test). Builds envgov and a minimal
# libmicrohttpd "hello" server, creates a 10,000-enterprise demo database, logs in, then runs
# wrk against: the enterprise list (limit=50), a single enterprise, a static asset, and the
# hello server serving a body of the same size as the static asset. Prints req/s, p50/p99
# latency and the ratio to the hello server. Targets (2 cores shared with wrk): list >= 15k
# req/s, single GET >= 30k req/s, p99 < 20 ms at 64 connections, static within 10% of hello.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
N_ENT=${N_ENT:-10000}
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/bootstrap installs it)"; exit 1; }
cmake --build "$BUILD" >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cc -O2 -o "$work/hello" bench/hello.c $(pkg-config --cflags --libs libmicrohttpd)

echo "bench: creating a demo database with $N_ENT enterprises..."
ENVGOV_ACCESS_LOG=off "$BUILD/envgov" demo --data "$work/data" --enterprises "$N_ENT" >/dev/null
port=$((20000 + RANDOM % 20000)); hport=$((port + 1))
ENVGOV_ACCESS_LOG=off "$BUILD/envgov" serve --data "$work/data" --http 127.0.0.1:$port \
  --hj212 127.0.0.1:$((port + 2)) 2>"$work/serve.log" &
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
cookie=$(curl -si -H 'content-type: application/json' \
  -d '{"username":"admin","password":"Huzhou#2026demo"}' "http://127.0.0.1:$port/api/v1/session" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \(envgov_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "bench: login failed"; cat "$work/serve.log"; exit 1; }
id=$(curl -sf -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/enterprises?limit=1&sort=id" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
asset=/js/app.js
asset_bytes=$(curl -sf "http://127.0.0.1:$port$asset" | wc -c)
"$work/hello" "$hport" "$(nproc)" "$asset_bytes" &
sleep 0.3

# wrk run → "req/s p50 p99"
run() {
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" 2>&1 |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}'
}
printf "%-34s %12s %10s %10s %8s\n" "target" "req/s" "p50" "p99" "ratio"
hello=$(run "http://127.0.0.1:$hport$asset"); hello_rps=${hello%% *}
line() { # name result
  local rps=${2%% *}
  printf "%-34s %12s %10s %10s %7.2fx\n" "$1" $2 "$(python3 -c "print($rps/$hello_rps)")"
}
line "hello (libmicrohttpd baseline)" "$hello"
line "static $asset ($asset_bytes B)" "$(run "http://127.0.0.1:$port$asset")"
line "GET /api/v1/enterprises/$id" "$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/enterprises/$id")"
line "GET /api/v1/enterprises?limit=50" "$(run -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/enterprises?limit=50")"
echo "(wrk -t$THREADS -c$CONNS -d$DURATION on $(nproc) cores shared by server and load; ratio = req/s / hello req/s)"
